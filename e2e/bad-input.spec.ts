import { createHash } from "node:crypto";

import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import postgres from "postgres";

import { expect, test } from "./fixtures";
import { builtActions, callAction } from "./support/actions";
import { anonymousContext } from "./support/api-session";

/** Runs per action and persona; the seed is printed by fast-check when a property fails. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

/** The e2e database (PostgreSQL runs): row counts before and after every rejected call. */
function e2eDatabase() {
  if (!process.env.DATABASE_URL) return undefined;
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname}_e2e`;
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
}

const TABLES = ["users", "contributions", "verifications", "rewards", "payout_batches", "subscriptions", "payments", "api_keys", "jobs", "audit_log", "stripe_events", "events", "webhook_endpoints", "notification_emails"];
/**
 * Jobs the workers enqueue by themselves at any moment (a webhook delivery run, its retry after a
 * receiver failed, a notification's mail, the next meter report): not a request's writes, so not in
 * its footprint. What a request records goes through `events` (written in its own transaction), which
 * is counted. The kinds are spelled here because their definitions (lib/webhooks/drain-job.ts,
 * lib/notifications/jobs.ts, lib/payments/meter-report.ts) are server-only modules a Playwright test
 * cannot import.
 */
const WORKER_JOBS = "kind NOT IN ('webhook-drain', 'notification-email', 'meter-report')";

/**
 * Waits until no job is due or running: a payout confirmed by the worker while a rejected call is
 * measured (its rewards' events, their fan-out job, the audit entry) is not that call's write.
 */
async function quiesce(sql: postgres.Sql | undefined): Promise<void> {
  if (!sql) return;
  for (let i = 0; i < 150; i++) {
    const [busy] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM jobs WHERE (status = 'queued' AND run_at <= now()) OR status = 'running'`;
    if (busy!.n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function counts(sql: postgres.Sql | undefined): Promise<string> {
  if (!sql) return "";
  const rows = await sql.unsafe(TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}${t === "jobs" ? ` WHERE ${WORKER_JOBS}` : ""}`).join(" UNION ALL "));
  return rows.map((r) => `${r.t}=${r.n}`).join(" ");
}

/** Junk shaped like form input: wrong types, huge and unicode strings (RTL overrides, NULs, emoji). */
const junkString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("\u202Eexe.txt", "a\u0000b", "💥".repeat(300), "x".repeat(20_000), "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "0x" + "f".repeat(40)),
  fc.uuid().map(String),
);
const junkValue = fc.oneof(junkString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(junkString, { maxLength: 3 }));
const junkArgs = fc.oneof(
  fc.dictionary(fc.constantFrom("id", "contributionId", "address", "grant", "voteScore", "reasoning", "reason", "name", "scopes", "plan", "title", "x"), junkValue, { maxKeys: 5, noNullPrototype: true }).map((o) => [o]),
  fc.array(junkValue, { maxLength: 3 }),
  fc.constant([]),
);

test("fuzzing every server action: never a 5xx, never a partial write", async ({ baseURL, asContributor, asAdmin }) => {
  test.setTimeout(300_000);
  const sql = e2eDatabase();
  const anonymous = await anonymousContext(baseURL!);
  const personas: [string, APIRequestContext][] = [
    ["anonymous", anonymous],
    ["contributor", asContributor.request],
    ["admin", asAdmin.request],
  ];
  const actions = [...builtActions().values()];
  expect(actions.length).toBeGreaterThan(10);
  const failures: string[] = [];
  try {
    for (const action of actions) {
      for (const [persona, api] of personas) {
        await fc.assert(
          fc.asyncProperty(junkArgs, async (args) => {
            await quiesce(sql);
            const before = await counts(sql);
            let result: { ok: boolean; status?: number };
            try {
              result = await callAction(api, baseURL!, action, args as unknown[]);
            } catch (error) {
              failures.push(`${action.key} as ${persona} ${JSON.stringify(args).slice(0, 200)}: ${(error as Error).message.slice(0, 200)}`);
              return false;
            }
            if (!result.ok && (result.status ?? 0) >= 500) failures.push(`${action.key} as ${persona} → ${result.status} for ${JSON.stringify(args).slice(0, 200)}`);
            if (!result.ok && sql) expect(await counts(sql), `${action.key} as ${persona}: a rejected call wrote`).toBe(before);
            return result.ok || (result.status ?? 0) < 500;
          }),
          { numRuns: RUNS },
        );
      }
    }
  } finally {
    await anonymous.dispose();
    await sql?.end();
  }
  expect(failures).toEqual([]);
});

test("oversized headers are refused with 431 and the server keeps serving", async ({ baseURL }) => {
  const api = await playwrightRequest.newContext({ baseURL });
  const res = await api.get("/api/health/live", { headers: { "x-junk": "a".repeat(64 * 1024) } }).catch((e: Error) => e);
  if (res instanceof Error) expect(res.message).toMatch(/socket hang up|ECONNRESET|431/);
  else expect(res.status()).toBe(431);
  expect((await api.get("/api/health/live")).status()).toBe(200);
  await api.dispose();
});

test("unicode, RTL-override and overlong file names upload, download and list cleanly", async ({ asOtherContributor: { request: api } }) => {
  const cases = [
    { name: "données-naïve-数据-🚀.csv", stored: "données-naïve-数据-🚀.csv" },
    { name: "invoice\u202Egpj.csv", stored: "invoicegpj.csv" },
    { name: `${"長".repeat(400)}.csv`, stored: null },
    { name: "..\\..\\windows\\evil.csv", stored: "evil.csv" },
  ];
  for (const [i, c] of cases.entries()) {
    const bytes = Buffer.from(`name,value\nrow,${Date.now()}-${i}-${Math.random()}\n`);
    const res = await api.post("/api/v1/contributions", { multipart: { title: `Name test ${i} \u202E ${"✓".repeat(5)}`, file_type: "dataset", file: { name: c.name, mimeType: "text/csv", buffer: bytes } } });
    expect(res.status(), c.name).toBe(201);
    const { id } = await res.json();
    const detail = await (await api.get(`/api/v1/contributions/${id}`)).json();
    if (c.stored) expect(detail.file_name).toBe(c.stored);
    else expect([...detail.file_name].length).toBeLessThanOrEqual(255);
    expect(detail.file_name).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u001f/\\]/);
    const file = await api.get(`/api/v1/contributions/${id}/file`);
    expect(file.status()).toBe(200);
    const disposition = file.headers()["content-disposition"];
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[\w%.!~*'()-]+$/);
    expect(createHash("sha256").update(await file.body()).digest("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
  }
});

/** Query parameters as an edited, stale or hostile link carries them. */
const JUNK_QUERIES = [
  "cursor=zzz",
  "cursor=%00%ff&vcursor=zzz&batch_cursor=zzz",
  `cursor=${Buffer.from(JSON.stringify(["0000-00-00 00:00:00", "x"])).toString("base64url")}`,
  "limit=-1&status=bogus&type=%E2%80%AE&tab=nope",
  "limit=abc&limit=5&q=%27%20OR%201%3D1%20--&owner=0xzz",
  `q=${"x".repeat(5000)}&checkout=${"y".repeat(300)}`,
];

test("junk query parameters on every page: a 4xx or the first page, never a 5xx", async ({ baseURL, asAdmin: { request: admin } }) => {
  test.setTimeout(180_000);
  const { pages } = await import("./authorization/inventory");
  const anonymous = await anonymousContext(baseURL!);
  const upload = await admin.post("/api/v1/contributions", {
    multipart: { title: "Junk-parameter target", file_type: "code", file: { name: "j.py", mimeType: "text/x-python", buffer: Buffer.from(`print(${Date.now()})\n`) } },
  });
  expect(upload.status()).toBe(201);
  const id = (await upload.json()).id as string;
  const urls = pages().map((p) => p.slice("PAGE ".length).replace("[id]", id));
  expect(urls.length).toBeGreaterThan(10);
  const failures: string[] = [];
  for (const url of urls) {
    for (const query of JUNK_QUERIES) {
      for (const [who, api] of [["admin", admin], ["anonymous", anonymous]] as const) {
        const res = await api.get(`${url}?${query}`, { maxRedirects: 0 });
        if (res.status() >= 500) failures.push(`${who} ${url}?${query.slice(0, 80)} → ${res.status()}`);
      }
    }
  }
  expect(failures).toEqual([]);
  await anonymous.dispose();
});
