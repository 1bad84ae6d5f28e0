/**
 * Exports through the real stack: the admin route and the own-data route on a fresh database, CSV
 * read back with csv-parse (not ours), keyset pages across equal timestamps, filters and their
 * refusals, revealed-only votes, one user's data alone, and the audit trail.
 */
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as adminExportRoute } from "@/app/api/v1/admin/exports/[dataset]/route";
import { GET as ownExportRoute } from "@/app/api/v1/me/export/route";
import { auditLog, contributions, payments, rewards, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { verifiedContribution } from "@/test/rewards";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN } from "@/test/siwe";
import { assignedVote } from "@/test/votes";
import { castVote } from "@/lib/verification/consensus";

import { recentExports } from "./audit";
import { DATASETS } from "./datasets";
import { exportPage } from "./rows";
import { datasetExport } from "./stream";

const testDb = setupTestDatabase();

const people: Record<"admin" | "alice" | "bob", { id: string; address: string; cookie: string }> = {} as never;

async function person(roles: ("verifier" | "admin" | "contributor")[]) {
  const account = privateKeyToAccount(generatePrivateKey());
  const cookie = await signedInCookie(account);
  const address = account.address.toLowerCase();
  const [u] = await testDb.handle.db.update(users).set({ roles }).where(eq(users.address, address)).returning({ id: users.id });
  return { id: u!.id, address, cookie };
}

const adminGet = (dataset: string, query = "", headers: Record<string, string> = { cookie: people.admin.cookie }) =>
  adminExportRoute(new Request(`${TEST_ORIGIN}/api/v1/admin/exports/${dataset}${query}`, { headers }), { params: Promise.resolve({ dataset }) });

const ownGet = (headers: Record<string, string>) => ownExportRoute(new Request(`${TEST_ORIGIN}/api/v1/me/export`, { headers }), undefined);

async function csvOf(dataset: string, query = ""): Promise<{ text: string; records: Record<string, string>[] }> {
  const res = await adminGet(dataset, query);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="nwu-${dataset}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
  const text = await res.text();
  return { text, records: parse(text, { columns: true, relax_quotes: false, record_delimiter: "\r\n" }) as Record<string, string>[] };
}

const HOSTILE = ["comma, inside", 'a "quoted" word', "line\nbreak", "carriage\r\nreturn", "=HYPERLINK(\"http://evil\")", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "plain"];
let sealedId = "";
let decided = { contributionId: "" };

beforeAll(async () => {
  const { db } = testDb.handle;
  people.admin = await person(["admin"]);
  people.alice = await person(["contributor"]);
  people.bob = await person(["verifier"]);
  for (const title of HOSTILE) await insertContribution(db, people.alice.id, { title, status: "verifying" });
  // An open contribution with votes in: sealed, never exported.
  sealedId = await insertContribution(db, people.bob.id, { title: "Open, sealed votes" });
  await castVote({ contributionId: sealedId, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 37, subScores: {}, reasoning: "SEALED-AI-REASONING" });
  const voter = await insertUser(db, ["verifier"]);
  await assignedVote({ contributionId: sealedId, userId: voter.id, voteScore: 41, subScores: {}, reasoning: "SEALED-HUMAN-REASONING" });
  // A decided one: its three votes are revealed.
  decided = await verifiedContribution(db, 88, { id: people.alice.id, address: people.alice.address });
  await db.insert(payments).values([
    { userId: people.alice.id, amountCents: 1999, refundedCents: 1, status: "succeeded", description: "=alice plan" },
    { userId: people.bob.id, amountCents: 500, status: "pending", description: "bob plan" },
  ]);
  await createApiKey({ userId: people.alice.id, name: "alice key", scopes: ["stats:read"] });
  await createApiKey({ userId: people.bob.id, name: "bob key", scopes: ["stats:read"] });
});

describe("CSV", () => {
  it("is RFC 4180 (CRLF, quoted fields) and holds hostile titles exactly, formulas neutralised with '", async () => {
    const { text, records } = await csvOf("contributions");
    expect(text.split("\r\n")[0]).toBe(DATASETS.contributions.columns.map((c) => c.name).join(","));
    expect(text.endsWith("\r\n")).toBe(true);
    const titles = records.map((r) => r.title);
    for (const t of ["comma, inside", 'a "quoted" word', "line\nbreak", "carriage\r\nreturn", "plain"]) expect(titles).toContain(t);
    for (const t of ['=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3", "@cmd", "\tTAB"]) {
      expect(titles).toContain(`'${t}`);
      expect(titles).not.toContain(t);
    }
    expect(records).toHaveLength(HOSTILE.length + 2);
    // Stable order: oldest first, and every id once.
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const times = records.map((r) => r.created_at);
    expect([...times].sort()).toEqual(times);
    expect(times[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it("writes money as exact decimal strings", async () => {
    const { db } = testDb.handle;
    const c = await insertContribution(db, people.bob.id, { title: "Exact" });
    await db.insert(rewards).values({ userId: people.bob.id, contributionId: c, amount: "123456789012.123456789012345678", status: "failed" });
    const { records } = await csvOf("rewards", "?status=failed");
    expect(records.map((r) => r.amount)).toEqual(["123456789012.123456789012345678"]);
    const paid = await csvOf("payments");
    // One insert, one created_at: ordered by id, so compare as a set.
    expect(paid.records.map((r) => [r.amount, r.refunded, r.description]).sort()).toEqual([
      ["19.99", "0.01", "'=alice plan"],
      ["5.00", "0.00", "bob plan"],
    ]);
  });
});

describe("keyset pages", () => {
  it("lose and repeat no row across page edges, with equal timestamps", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const at = new Date("2021-06-01T00:00:00.123456Z");
    for (let i = 0; i < 11; i++) await insertContribution(db, owner.id, { title: `same ${i}`, createdAt: at });
    const filters = { from: new Date("2021-01-01"), to: new Date("2022-01-01") };
    const seen: string[] = [];
    let after = null;
    let pages = 0;
    do {
      const page = await exportPage(DATASETS.contributions, { kind: "admin" }, filters, after, 3);
      const body = new TextDecoder().decode(page.body);
      seen.push(...body.trimEnd().split("\n").map((l) => (JSON.parse(l) as { id: string }).id));
      expect(body.trimEnd().split("\n")).toHaveLength(page.rows);
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect([...seen].sort()).toEqual(seen);

    // The same through the stream, 4 rows a page (each page its own statement).
    const stream = await datasetExport({ actorId: people.admin.id, dataset: DATASETS.contributions, format: "ndjson", filters, pageSize: 4 });
    const lines = (await new Response(stream).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string; size_bytes: number; calibration: boolean; metadata: unknown });
    expect(lines.map((l) => l.id)).toEqual(seen);
    expect(lines[0]).toMatchObject({ size_bytes: 3, calibration: false, metadata: {} });
  });
});

describe("filters", () => {
  it("narrow by date range (a date `to` includes its day) and status", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    await insertContribution(db, owner.id, { title: "Jan 31 late", createdAt: new Date("2020-01-31T23:59:59Z"), status: "verified" });
    await insertContribution(db, owner.id, { title: "Feb 1", createdAt: new Date("2020-02-01T00:00:00Z"), status: "rejected" });
    const titles = async (q: string) => (await csvOf("contributions", q)).records.map((r) => r.title);
    expect(await titles("?from=2020-01-01&to=2020-01-31")).toEqual(["Jan 31 late"]);
    expect(await titles("?from=2020-01-31T23:59:59Z&to=2020-02-01T00:00:00Z")).toEqual(["Jan 31 late"]);
    expect(await titles("?from=2020-01-01&to=2020-02-01")).toEqual(["Jan 31 late", "Feb 1"]);
    expect(await titles("?from=2020-01-01&to=2020-12-31&status=rejected")).toEqual(["Feb 1"]);
  });

  it("refuse what they do not take with an RFC 9457 problem, and audit nothing", async () => {
    const before = await testDb.handle.db.$count(auditLog, eq(auditLog.action, "export"));
    for (const [dataset, q, status, field] of [
      ["contributions", "?status=bogus", 400, "status"],
      ["contributions", "?format=xml", 400, "format"],
      ["contributions", "?from=2026-02-31", 400, "from"],
      ["contributions", "?from=yesterday", 400, "from"],
      ["contributions", "?from=2024-13-01", 400, "from"],
      ["contributions", "?to=1969-12-31", 400, "to"],
      ["contributions", "?from=2026-02-02&to=2026-02-01", 400, "to"],
      ["votes", "?status=verified", 400, "status"],
      ["sessions", "", 404, null],
      ["api_keys", "", 404, null],
    ] as const) {
      const res = await adminGet(dataset, q);
      expect(res.status, `${dataset}${q}`).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = await res.json();
      if (field) expect(Object.keys(body.fieldErrors)).toContain(field);
    }
    expect(await testDb.handle.db.$count(auditLog, eq(auditLog.action, "export"))).toBe(before);
  });
});

describe("votes", () => {
  it("are exported only once revealed: no sealed ballot, score or reasoning leaks by any filter or format", async () => {
    const { records } = await csvOf("votes");
    expect(records.map((r) => r.contribution_id)).toEqual([decided.contributionId, decided.contributionId, decided.contributionId]);
    expect(records.every((r) => r.vote_score === "88")).toBe(true);
    for (const q of ["", "?format=ndjson", "?format=ndjson&from=2000-01-01", "?from=2000-01-01&to=9000-01-01"]) {
      const text = await (await adminGet("votes", q)).text();
      expect(text).not.toContain(sealedId);
      expect(text).not.toContain("SEALED-");
    }
    // Nor through the contributions export: an open contribution's score stays unset.
    const open = (await csvOf("contributions")).records.find((r) => r.id === sealedId);
    expect(open).toMatchObject({ quality_score: "", status: "verifying" });
  });

  it("of an appeal's panel stay sealed while the first round's stay revealed", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const first = await verifiedContribution(db, 90, owner);
    // Reopen as an appeal does: decided_at cleared, an open appeal, a round-2 vote in.
    await db.update(contributions).set({ decidedAt: null, status: "appealed" }).where(eq(contributions.id, first.contributionId));
    await db.execute(sql`INSERT INTO appeals (contribution_id, appellant_id, statement) VALUES (${first.contributionId}, ${owner.id}, 'please')`);
    await db.execute(sql`INSERT INTO verifications (contribution_id, agent_id, agent_type, vote_score, round, reasoning) VALUES (${first.contributionId}, 'panel-agent', 'external', 12, 2, 'ROUND-TWO-SEALED')`);
    const text = await (await adminGet("votes", "?format=ndjson")).text();
    const rows = text.trimEnd().split("\n").map((l) => JSON.parse(l) as { contribution_id: string; round: number; reasoning: string });
    expect(rows.filter((r) => r.contribution_id === first.contributionId).map((r) => r.round)).toEqual([1, 1, 1]);
    expect(text).not.toContain("ROUND-TWO-SEALED");
  });
});

describe("who may export", () => {
  it("admins signed in only: anonymous 401, others 403, API keys 403 (even an admin's)", async () => {
    expect((await adminGet("contributions", "", {})).status).toBe(401);
    expect((await adminGet("contributions", "", { cookie: people.alice.cookie })).status).toBe(403);
    expect((await adminGet("sessions", "", { cookie: people.bob.cookie })).status).toBe(403);
    const { key } = await createApiKey({ userId: people.admin.id, name: "admin key", scopes: ["stats:read"] });
    expect((await adminGet("contributions", "", { authorization: `Bearer ${key}` })).status).toBe(403);
    expect((await ownGet({ authorization: `Bearer ${key}` })).status).toBe(403);
    expect((await ownGet({})).status).toBe(401);
  });
});

describe("a user's own data", () => {
  it("holds the caller's profile, contributions, votes, rewards, payments and key metadata — nobody else's, no secret", async () => {
    const res = await ownGet({ cookie: people.alice.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="nwu-my-data-0x[0-9a-f]{40}-/);
    const text = await res.text();
    type Section = Record<string, unknown>[];
    const data = JSON.parse(text) as { profile: { address: string; roles: string[] }; contributions: Section; votes: Section; rewards: Section; payments: Section; api_keys: Section };
    expect(data.profile).toMatchObject({ address: people.alice.address, roles: ["contributor"] });
    expect(data.contributions).toHaveLength(HOSTILE.length + 1);
    expect(data.contributions.every((c) => c.owner === people.alice.address)).toBe(true);
    expect(data.rewards.map((r) => r.contribution_id)).toEqual([decided.contributionId]);
    expect(data.payments.map((p) => p.amount)).toEqual(["19.99"]);
    expect(data.api_keys.map((k) => k.name)).toEqual(["alice key"]);
    expect(Object.keys(data.api_keys[0]!)).not.toContain("key_hash");
    expect(data.votes).toEqual([]);
    const hashes = await testDb.handle.db.execute(sql`SELECT key_hash FROM api_keys`);
    for (const h of (Array.isArray(hashes) ? hashes : (hashes as { rows: { key_hash: string }[] }).rows) as { key_hash: string }[]) expect(text).not.toContain(h.key_hash);
    for (const other of [people.bob.address, "bob key", "bob plan", sealedId]) expect(text).not.toContain(other);
  });

  it("holds a verifier's own votes, sealed ones too (they are theirs), and no one else's", async () => {
    const { db } = testDb.handle;
    const c = await insertContribution(db, people.alice.id, { title: "For bob" });
    await assignedVote({ contributionId: c, userId: people.bob.id, voteScore: 66, subScores: {}, reasoning: "BOB-OWN-VOTE" });
    const data = (await (await ownGet({ cookie: people.bob.cookie })).json()) as { votes: { contribution_id: string; vote_score: number; voter: string }[] };
    expect(data.votes.map((v) => [v.contribution_id, v.vote_score, v.voter])).toEqual([[c, 66, people.bob.address]]);
  });
});

describe("the audit trail", () => {
  it("records who exported what, with which filters, and how many rows went out", async () => {
    const { db } = testDb.handle;
    await (await adminGet("payments", "?status=succeeded&from=2000-01-01")).text();
    const [entry] = await recentExports(1);
    expect(entry).toMatchObject({ actor: people.admin.address, dataset: "payments", format: "csv", rows: 1, completed: true, filters: { status: "succeeded", from: "2000-01-01T00:00:00.000Z", to: null } });
    const own = await db.select().from(auditLog).where(and(eq(auditLog.action, "export"), eq(auditLog.actorId, people.alice.id)));
    expect(own.map((r) => r.details)).toEqual([expect.objectContaining({ dataset: "own-data", format: "json", completed: true, rows: HOSTILE.length + 1 + 1 + 1 + 1 })]);
  });

  it("records an export cut short as not completed", async () => {
    const stream = await datasetExport({ actorId: people.admin.id, dataset: DATASETS.contributions, format: "csv", filters: {}, pageSize: 2 });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const [entry] = await recentExports(1);
    expect(entry).toMatchObject({ dataset: "contributions", rows: 2, completed: false });
  });
});
