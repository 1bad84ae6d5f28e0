
/**
 * The OpenAPI document is the contract: every documented operation is called through the real
 * route handlers as anonymous, a session and an API key, and every answer — success and problem —
 * must have a documented status, a documented media type and a body that validates against the
 * document (ajv, JSON Schema 2020-12). The test's copy of the schemas is closed, so a field the
 * document does not list fails here even though the published document stays open.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { notifications, subscriptions, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { assignTo } from "@/lib/verification/assignments";
import { setupTestDatabase } from "@/test/db";
import { insertContribution } from "@/test/fixtures";
import { verifiedContribution } from "@/test/rewards";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

import { openApiDocument } from "./openapi";

type Json = Record<string, unknown>;
type Operation = { operationId: string; security?: Json[]; responses: Record<string, { content?: Record<string, { schema: Json }> }> };
type Handler = (request: Request, context: unknown) => Promise<Response>;

const testDb = setupTestDatabase();
const doc = openApiDocument(TEST_ORIGIN) as { paths: Record<string, Record<string, Operation>> };

/** Every object that lists its properties and says nothing of others is closed in the test's copy. */
function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (!node || typeof node !== "object") return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, close(v)]));
  if (out.properties && !("additionalProperties" in out)) out.unevaluatedProperties = false;
  return out;
}

const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("binary", true);
ajv.addSchema(close(doc) as Json, "api");

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

type Principal = "anonymous" | "session" | "key";
const called = new Map<string, Set<Principal>>();

/** Loads the route module of a documented path (`{id}` → `[id]`). */
async function handlerOf(apiPath: string, method: string): Promise<Handler> {
  const dir = apiPath.replace(/^\/api\/v1/, "app/api/v1").replace(/\{(\w+)\}/g, "[$1]");
  const mod = (await import(/* @vite-ignore */ `@/${dir}/route`)) as Record<string, Handler>;
  const handler = mod[method.toUpperCase()];
  if (!handler) throw new Error(`${method} ${apiPath} is documented but ${dir}/route.ts has no ${method.toUpperCase()}`);
  return handler;
}

/** Validates one real answer against the operation's documented response for its status. */
async function expectDocumented(apiPath: string, method: string, res: Response): Promise<void> {
  const op = doc.paths[apiPath]![method]!;
  const documented = op.responses[String(res.status)];
  if (!documented) expect.fail(`${op.operationId} answered ${res.status}, which is not documented: ${await res.text()}`);
  const type = res.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
  if (!documented.content) return;
  const ranges = Object.keys(documented.content);
  expect(ranges.some((r) => r === type || r === "*/*" || (r.endsWith("/*") && type.startsWith(r.slice(0, -1)))), `${op.operationId} ${res.status} answered ${type}, documented ${ranges.join(", ")}`).toBe(true);
  // NDJSON is JSON a line, not one document: its lines are checked by the exports' own tests.
  if (!type.includes("json") || type === "application/x-ndjson") return;
  const validate = ajv.getSchema(`api#/${pointer("paths", apiPath, method, "responses", String(res.status), "content", type, "schema")}`)!;
  const body: unknown = await res.json();
  expect(validate(body) ? [] : validate.errors, `${op.operationId} ${res.status}: ${JSON.stringify(body).slice(0, 400)}`).toEqual([]);
}

let aliceCookie = "";
let bobKey = "";
let narrowKey = "";
const alice = newAccount();
const bob = newAccount();
const headersOf: Record<Principal, () => Record<string, string>> = {
  anonymous: () => ({}),
  session: () => ({ cookie: aliceCookie, origin: TEST_ORIGIN }),
  key: () => ({ authorization: `Bearer ${bobKey}` }),
};

interface Call {
  path: string;
  method?: string;
  params?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** Calls the documented operation through its route handler and checks the answer; returns it (body unread unless not JSON). */
async function call(as: Principal, c: Call, expectStatus?: number): Promise<Response> {
  const method = c.method ?? "get";
  const concrete = c.path.replace(/\{(\w+)\}/g, (_, name: string) => c.params![name]!);
  const controller = new AbortController();
  const request = new Request(`${TEST_ORIGIN}${concrete}${c.query ? `?${c.query}` : ""}`, {
    method: method.toUpperCase(),
    headers: { ...headersOf[as](), ...c.headers },
    body: c.body,
    signal: controller.signal,
  });
  const res = await (await handlerOf(c.path, method))(request, { params: Promise.resolve(c.params ?? {}) });
  if (expectStatus !== undefined) expect(res.status, `${method} ${concrete} as ${as}`).toBe(expectStatus);
  const key = `${method} ${c.path}`;
  called.set(key, (called.get(key) ?? new Set()).add(as));
  if ((res.headers.get("content-type") ?? "").includes("event-stream")) {
    await expectDocumented(c.path, method, res);
    controller.abort(); // the client goes away: the stream ends
    return res;
  }
  await expectDocumented(c.path, method, res.clone());
  return res;
}

function uploadForm(title: string | null): FormData {
  const fd = new FormData();
  if (title !== null) fd.append("title", title);
  fd.append("file_type", "dataset");
  fd.append("metadata", JSON.stringify({ rows: 2 }));
  fd.append("file", new Blob([`a,b\n1,${Math.random()}\n`]), "data.csv");
  return fd;
}

const ALL: Principal[] = ["anonymous", "session", "key"];
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
let contributionId = "";
let bobId = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  aliceCookie = await signedInCookie(alice);
  await signedInCookie(bob);
  // verifications:write is for verifier and agent accounts only.
  const [b] = await db.update(users).set({ roles: ["contributor", "verifier"] }).where(eq(users.address, bob.address.toLowerCase())).returning({ id: users.id });
  // A paid plan's rate limit: the free plan's burst is smaller than this test's calls.
  await db.insert(subscriptions).values({ userId: b!.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${b!.id}` });
  bobKey = (await createApiKey({ userId: b!.id, name: "contract", scopes: ["contributions:read", "contributions:write", "verifications:write", "stats:read", "webhooks:manage"] })).key;
  bobId = b!.id;
  narrowKey = (await createApiKey({ userId: b!.id, name: "narrow", scopes: ["stats:read"] })).key;
  const [a] = await db.select({ id: users.id, address: users.address }).from(users).where(eq(users.address, alice.address.toLowerCase()));
  await verifiedContribution(db, 90, a!); // a reward, so reward answers carry every field
});

describe("every documented operation answers as documented", () => {
  it("uploads, as each principal, and refuses what it must", async () => {
    const up = { path: "/api/v1/contributions", method: "post" };
    await call("anonymous", { ...up, headers: { origin: TEST_ORIGIN }, body: uploadForm("Anonymous") }, 401);
    const created = await call("session", { ...up, body: uploadForm("Contract rows") }, 201);
    contributionId = ((await created.json()) as { id: string }).id;
    await call("key", { ...up, body: uploadForm("By key") }, 201);
    await call("session", { ...up, body: uploadForm(null) }, 400);
  });

  it("takes resumable uploads (tus) from a session and a key, and lists them", async () => {
    const tus = { "tus-resumable": "1.0.0" };
    const meta = (title: string) => `title ${btoa(title)},file_type ${btoa("dataset")},filename ${btoa("rows.csv")}`;
    const creation = (title: string) => ({ path: "/api/v1/uploads", method: "post", headers: { ...tus, "upload-length": "12", "upload-metadata": meta(title) } });
    const urls: Partial<Record<Principal, string>> = {};
    for (const as of ALL) {
      await call(as, { path: "/api/v1/uploads", method: "options" }, 204);
      await call(as, { path: "/api/v1/uploads/{id}", method: "options", params: { id: UNKNOWN_ID } }, 204);
    }
    await call("anonymous", { ...creation("Anonymous"), headers: { ...creation("Anonymous").headers, origin: TEST_ORIGIN } }, 401);
    await call("anonymous", { path: "/api/v1/uploads" }, 401);
    for (const as of ["session", "key"] as const) {
      urls[as] = (await call(as, creation(`Resumable by ${as}`), 201)).headers.get("location")!;
      await call(as, { path: "/api/v1/uploads" }, 200);
    }
    await call("session", creation(" "), 400);
    await call("session", { ...creation("No version"), headers: { "upload-length": "12" } }, 412);
    for (const as of ["session", "key"] as const) {
      const params = { id: urls[as]!.split("/").pop()! };
      const bytes = (offset: number) => ({ path: "/api/v1/uploads/{id}", method: "patch", params, headers: { ...tus, "upload-offset": String(offset), "content-type": "application/offset+octet-stream" }, body: "a,b\n1,2\n" });
      await call(as, bytes(0), 204);
      await call(as, bytes(3), 409);
      await call(as, { path: "/api/v1/uploads/{id}", method: "head", params, headers: tus }, 200);
      await call("anonymous", { path: "/api/v1/uploads/{id}", method: "head", params, headers: tus }, 401);
      await call("anonymous", { ...bytes(8), headers: { ...bytes(8).headers, origin: TEST_ORIGIN } }, 401);
      await call(as, { path: "/api/v1/uploads/{id}", method: "delete", params, headers: tus }, 204);
      await call(as, { path: "/api/v1/uploads/{id}", method: "head", params, headers: tus }, 404);
    }
    await call("anonymous", { path: "/api/v1/uploads/{id}", method: "delete", params: { id: UNKNOWN_ID }, headers: { ...tus, origin: TEST_ORIGIN } }, 401);
  });

  it("reads contributions, their status, votes and events", async () => {
    const params = { id: contributionId };
    const vote = (score: number) => JSON.stringify({ contribution_id: contributionId, vote_score: score, sub_scores: { quality: score }, reasoning: "Looks right" });
    const votes = { path: "/api/v1/verifications", method: "post", headers: { "content-type": "application/json" } };
    await call("anonymous", { ...votes, body: vote(80) }, 401);
    await call("session", { ...votes, body: vote(80) }, 401);
    // A verifier's key votes only on what its owner was assigned.
    await call("key", { ...votes, body: vote(80) }, 403);
    await testDb.handle.db.transaction((tx) => assignTo(tx, contributionId, bobId));
    await call("key", { ...votes, body: vote(80) }, 201);
    await call("key", { ...votes, body: vote(80) }, 409);
    await call("key", { ...votes, body: JSON.stringify({ contribution_id: contributionId, vote_score: 101 }) }, 400);
    for (const as of ALL) {
      await call(as, { path: "/api/v1/contributions" }, 200);
      await call(as, { path: "/api/v1/contributions/{id}", params }, 200);
      await call(as, { path: "/api/v1/contributions/{id}/status", params }, 200);
      await call(as, { path: "/api/v1/contributions/{id}/verifications", params }, 200);
      await call(as, { path: "/api/v1/contributions/{id}/events", params }, 200);
      await call(as, { path: "/api/v1/contributions/{id}/verifications", params: { id: UNKNOWN_ID } }, 404);
    }
    await call("anonymous", { path: "/api/v1/contributions", query: "limit=0" }, 400);
    await call("anonymous", { path: "/api/v1/contributions/{id}", params: { id: UNKNOWN_ID } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/status", params: { id: UNKNOWN_ID } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/events", params: { id: UNKNOWN_ID } }, 404);
    await call("anonymous", { path: "/api/v1/contributions", headers: { authorization: "Bearer nwu_notakey" } }, 401);
    await call("anonymous", { path: "/api/v1/contributions", headers: { authorization: `Bearer ${narrowKey}` } }, 403);
  });

  it("hands out review assignments to verifiers (a verifier's key), and refuses everyone else", async () => {
    const list = { path: "/api/v1/assignments" };
    const claim = { path: "/api/v1/assignments", method: "post" };
    await call("anonymous", list, 401);
    await call("anonymous", { ...claim, headers: { origin: TEST_ORIGIN } }, 401);
    await call("anonymous", { path: "/api/v1/assignments/{id}", method: "delete", params: { id: UNKNOWN_ID }, headers: { origin: TEST_ORIGIN } }, 401);
    // Alice is a contributor: signed in, but no verifier.
    await call("session", list, 403);
    await call("session", claim, 403);
    await call("session", { path: "/api/v1/assignments/{id}", method: "delete", params: { id: UNKNOWN_ID } }, 403);
    await call("key", { path: "/api/v1/assignments/{id}", method: "delete", params: { id: UNKNOWN_ID } }, 404);
    const { db } = testDb.handle;
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.address, alice.address.toLowerCase()));
    await insertContribution(db, owner!.id, { title: "To be assigned" });
    const drawn = (await (await call("key", claim, 201)).json()) as { assignment: { id: string } };
    const held = (await (await call("key", list, 200)).json()) as { items: { id: string }[] };
    expect(held.items.map((a) => a.id)).toContain(drawn.assignment.id);
    await call("key", { path: "/api/v1/assignments/{id}", method: "delete", params: { id: drawn.assignment.id } }, 204);
  });

  it("previews files, and lists archives and the files inside them", async () => {
    const fd = new FormData();
    fd.append("title", "A repository");
    fd.append("file_type", "code");
    fd.append("file", new Blob([readFileSync(path.join(process.cwd(), "test/fixtures/formats/repo.zip"))]), "repo.zip");
    const repo = ((await (await call("session", { path: "/api/v1/contributions", method: "post", body: fd }, 201)).json()) as { id: string }).id;
    for (const as of ALL) {
      await call(as, { path: "/api/v1/contributions/{id}/preview", params: { id: contributionId } }, 200);
      const listed = (await (await call(as, { path: "/api/v1/contributions/{id}/entries", params: { id: repo }, query: "limit=2" }, 200)).json()) as { items: { path: string }[]; next_offset: number | null };
      expect(listed.items).toHaveLength(2);
      expect(listed.next_offset).toBe(2);
      const inner = (await (await call(as, { path: "/api/v1/contributions/{id}/entries", params: { id: repo }, query: "path=repo/src/module.py" }, 200)).json()) as { preview: { kind: string; html: string } };
      expect(inner.preview).toMatchObject({ kind: "code", html: expect.stringContaining("mean") });
    }
    const img = new FormData();
    img.append("title", "A picture");
    img.append("file_type", "dataset");
    img.append("file", new Blob([readFileSync(path.join(process.cwd(), "test/fixtures/formats/image.png"))]), "image.png");
    const picture = ((await (await call("session", { path: "/api/v1/contributions", method: "post", body: img }, 201)).json()) as { id: string }).id;
    for (const as of ALL) {
      const thumb = await call(as, { path: "/api/v1/contributions/{id}/thumbnail", params: { id: picture } }, 200);
      expect(thumb.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
      expect(new Uint8Array(await thumb.arrayBuffer()).subarray(8, 12)).toEqual(new TextEncoder().encode("WEBP"));
    }
    await call("anonymous", { path: "/api/v1/contributions/{id}/thumbnail", params: { id: repo } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/thumbnail", params: { id: UNKNOWN_ID } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/preview", params: { id: UNKNOWN_ID } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/entries", params: { id: contributionId } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/entries", params: { id: repo }, query: "path=nope" }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/entries", params: { id: repo }, query: "path=repo/src/" }, 400);
    await call("anonymous", { path: "/api/v1/contributions/{id}/entries", params: { id: repo }, query: "limit=0" }, 400);

    const csv = new FormData();
    csv.append("title", "Readings");
    csv.append("file_type", "dataset");
    csv.append("file", new Blob([["station,reading", ...Array.from({ length: 250 }, (_, i) => `ST${i % 7},${i}`)].join("\n") + "\n"]), "readings.csv");
    const table = ((await (await call("session", { path: "/api/v1/contributions", method: "post", body: csv }, 201)).json()) as { id: string }).id;
    for (const as of ALL) {
      const first = (await (await call(as, { path: "/api/v1/contributions/{id}/rows", params: { id: table } }, 200)).json()) as { columns: string[]; rows: string[][]; next_offset: number | null };
      expect(first).toMatchObject({ columns: ["station", "reading"], next_offset: 100 });
      expect(first.rows).toHaveLength(100);
      const last = (await (await call(as, { path: "/api/v1/contributions/{id}/rows", params: { id: table }, query: "offset=200" }, 200)).json()) as { rows: string[][]; next_offset: number | null; total_rows: number };
      expect(last).toMatchObject({ next_offset: null, total_rows: 250 });
      expect(last.rows[49]).toEqual(["ST4", "249"]);
    }
    await call("anonymous", { path: "/api/v1/contributions/{id}/rows", params: { id: repo } }, 404);
    await call("anonymous", { path: "/api/v1/contributions/{id}/rows", params: { id: table }, query: "offset=-1" }, 400);
  });

  it("takes the owner's appeal of a rejection, once", async () => {
    const { db } = testDb.handle;
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.address, alice.address.toLowerCase()));
    const rejected = await insertContribution(db, owner!.id, { title: "Rejected", status: "rejected", qualityScore: 40, decidedAt: new Date() });
    const appeal = (id: string, statement: unknown = "The reviewers missed the tests.") => ({
      path: "/api/v1/contributions/{id}/appeal",
      method: "post",
      params: { id },
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statement }),
    });
    await call("anonymous", { ...appeal(rejected), headers: { "content-type": "application/json", origin: TEST_ORIGIN } }, 401);
    // Bob's key acts for Bob, who does not own it.
    await call("key", appeal(rejected), 403);
    await call("session", appeal(UNKNOWN_ID), 404);
    await call("session", appeal(contributionId), 409);
    await call("session", appeal(rejected, ""), 400);
    const made = (await (await call("session", appeal(rejected), 201)).json()) as { status: string; first_score: number };
    expect(made).toMatchObject({ status: "open", first_score: 40 });
    await call("session", appeal(rejected), 409);
  });

  it("serves the file with its conditions and ranges", async () => {
    const file = { path: "/api/v1/contributions/{id}/file", params: { id: contributionId } };
    for (const as of ALL) {
      await call(as, file, 200);
      await call(as, { ...file, method: "head" }, 200);
    }
    const etag = (await call("anonymous", { ...file, method: "head" })).headers.get("etag")!;
    await call("anonymous", { ...file, headers: { range: "bytes=0-1" } }, 206);
    await call("anonymous", { ...file, headers: { "if-none-match": etag } }, 304);
    await call("anonymous", { ...file, headers: { "if-match": '"other"' } }, 412);
    await call("anonymous", { ...file, headers: { range: "bytes=999999-" } }, 416);
    await call("anonymous", { ...file, params: { id: UNKNOWN_ID } }, 404);
  });

  it("registers webhook endpoints (paid plans), rotates their secrets and lists their deliveries", async () => {
    const json = { "content-type": "application/json" };
    const register = (url: string) => ({ path: "/api/v1/webhooks", method: "post", headers: json, body: JSON.stringify({ url, events: ["contribution.created", "reward.distributed"] }) });
    // Alice is on the free plan: she may list (nothing), not register.
    await call("session", register("https://hooks.example.com/alice"), 403);
    await call("session", { path: "/api/v1/webhooks" }, 200);
    await call("anonymous", { ...register("https://hooks.example.com/anon"), headers: { ...json, origin: TEST_ORIGIN } }, 401);
    await call("anonymous", { path: "/api/v1/webhooks" }, 401);
    await call("key", { ...register("http://127.0.0.1:9/private") }, 400);
    const created = (await (await call("key", register("https://hooks.example.com/bob"), 201)).json()) as { id: string; secret: string };
    expect(created.secret).toMatch(/^whsec_/);
    await call("key", { path: "/api/v1/webhooks" }, 200);
    const params = { id: created.id };
    const item = (method: string, p = "/api/v1/webhooks/{id}") => ({ path: p, method, params });
    const retry = { path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", method: "post", params: { id: created.id, deliveryId: UNKNOWN_ID } };
    for (const [as, status] of [["anonymous", 401], ["session", 404]] as const) {
      const origin = as === "anonymous" ? { headers: { origin: TEST_ORIGIN } } : {};
      await call(as, item("get"), status);
      await call(as, item("get", "/api/v1/webhooks/{id}/deliveries"), status);
      await call(as, { ...item("post", "/api/v1/webhooks/{id}/rotate"), ...origin }, status);
      await call(as, { ...item("post", "/api/v1/webhooks/{id}/enable"), ...origin }, status);
      await call(as, { ...retry, ...origin }, status);
      await call(as, { ...item("delete"), ...origin }, status);
    }
    await call("key", item("get"), 200);
    const rotated = (await (await call("key", item("post", "/api/v1/webhooks/{id}/rotate"), 200)).json()) as { secret: string };
    expect(rotated.secret).not.toBe(created.secret);
    await call("key", item("post", "/api/v1/webhooks/{id}/enable"), 200);
    await call("key", { ...item("get", "/api/v1/webhooks/{id}/deliveries"), query: "status=pending" }, 200);
    await call("key", retry, 404);
    await call("key", item("delete"), 204);
    await call("key", item("get"), 404);
  });

  it("reads users: profile, stats, rewards and contributions", async () => {
    const userPaths = ["/api/v1/users/{address}", "/api/v1/users/{address}/stats", "/api/v1/users/{address}/rewards", "/api/v1/users/{address}/contributions"];
    for (const p of userPaths) {
      for (const as of ALL) await call(as, { path: p, params: { address: alice.address } }, 200);
      await call("anonymous", { path: p, params: { address: "0x1234" } }, 400);
      // An unknown address is a 404, except for the contribution list: an empty page.
      await call("anonymous", { path: p, params: { address: `0x${"ab".repeat(20)}` } }, p.endsWith("/contributions") ? 200 : 404);
    }
    const rewards = await call("anonymous", { path: "/api/v1/users/{address}/rewards", params: { address: alice.address } });
    expect(((await rewards.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    await call("anonymous", { path: "/api/v1/users/{address}/rewards", params: { address: alice.address }, query: "status=nope" }, 400);
  });

  it("exports: an admin's datasets (CSV, NDJSON) and anyone's own data, signed in only", async () => {
    const admin = newAccount();
    const adminCookie = await signedInCookie(admin);
    await testDb.handle.db.update(users).set({ roles: ["contributor", "admin"] }).where(eq(users.address, admin.address.toLowerCase()));
    const asAdmin = { cookie: adminCookie };
    const dataset = "/api/v1/admin/exports/{dataset}";
    for (const name of ["contributions", "votes", "rewards", "payouts", "payments"]) {
      const csv = await call("session", { path: dataset, params: { dataset: name }, headers: asAdmin }, 200);
      expect((await csv.text()).split("\r\n")[0]).toMatch(/^id,/);
      await (await call("session", { path: dataset, params: { dataset: name }, query: "format=ndjson&from=2000-01-01", headers: asAdmin }, 200)).text();
    }
    await call("session", { path: dataset, params: { dataset: "contributions" }, query: "status=nope", headers: asAdmin }, 400);
    await call("session", { path: dataset, params: { dataset: "sessions" }, headers: asAdmin }, 404);
    await call("anonymous", { path: dataset, params: { dataset: "contributions" } }, 401);
    await call("session", { path: dataset, params: { dataset: "contributions" } }, 403);
    await call("key", { path: dataset, params: { dataset: "contributions" } }, 403);
    const own = await call("session", { path: "/api/v1/me/export" }, 200);
    expect(((await own.json()) as { profile: { address: string } }).profile.address).toBe(alice.address.toLowerCase());
    await call("anonymous", { path: "/api/v1/me/export" }, 401);
    await call("key", { path: "/api/v1/me/export" }, 403);
  });

  it("serves your notifications, their live stream, preferences and e-mail address (a key needs notifications:manage)", async () => {
    const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const [a] = await testDb.handle.db.select({ id: users.id }).from(users).where(eq(users.address, alice.address.toLowerCase()));
    // One notification of alice's, as the fan-out writes it.
    await testDb.handle.db.insert(notifications).values({ userId: a!.id, eventId: UNKNOWN_ID, kind: "contribution_decided", title: "“x” was verified", body: "Final score 90.", link: "/contributions/x", data: { reasons: [{ score: 90, by: "verifier", reasoning: "fine" }] } });
    const list = await call("session", { path: "/api/v1/me/notifications" }, 200);
    expect(((await list.json()) as { unread: number }).unread).toBe(1);
    await call("session", { path: "/api/v1/me/notifications", query: "unread=true&limit=1" }, 200);
    await call("session", { path: "/api/v1/me/notifications", query: "unread=maybe" }, 400);
    await call("session", { path: "/api/v1/me/notifications/read", method: "post", ...json({ all: true }) }, 200);
    await call("session", { path: "/api/v1/me/notifications/read", method: "post", ...json({ ids: [] }) }, 400);
    await call("session", { path: "/api/v1/me/events" }, 200);
    await call("session", { path: "/api/v1/me/notification-preferences" }, 200);
    await call("session", { path: "/api/v1/me/notification-preferences", method: "put", ...json({ preferences: [{ kind: "reward_paid", channel: "email", enabled: false }] }) }, 200);
    await call("session", { path: "/api/v1/me/notification-preferences", method: "put", ...json({ preferences: [{ kind: "nope", channel: "email", enabled: false }] }) }, 400);
    // No SMTP_URL here: an address cannot be confirmed, so it is refused (409); none is set (404).
    await call("session", { path: "/api/v1/me/email", method: "post", ...json({ address: "alice@example.org" }) }, 409);
    await call("session", { path: "/api/v1/me/email", method: "post", ...json({ address: "not an address" }) }, 400);
    await call("session", { path: "/api/v1/me/email" }, 404);
    await call("session", { path: "/api/v1/me/email", method: "delete" }, 404);
    const ops: [string, string, unknown?][] = [
      ["/api/v1/me/notifications", "get"],
      ["/api/v1/me/notifications/read", "post", { all: true }],
      ["/api/v1/me/events", "get"],
      ["/api/v1/me/notification-preferences", "get"],
      ["/api/v1/me/notification-preferences", "put", { preferences: [{ kind: "reward_paid", channel: "email", enabled: true }] }],
      ["/api/v1/me/email", "get"],
      ["/api/v1/me/email", "post", { address: "alice@example.org" }],
      ["/api/v1/me/email", "delete"],
    ];
    for (const [p, method, body] of ops) {
      const extra = body === undefined ? {} : json(body);
      await call("anonymous", { path: p, method, ...extra }, 401);
      // bob's key lacks notifications:manage.
      await call("key", { path: p, method, ...extra }, 403);
    }
  });

  afterAll(() => {
    // Runs after the cases above: every documented operation was called by every kind of caller.
    const missing = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).flatMap((m) => ALL.filter((as) => !called.get(`${m} ${p}`)?.has(as)).map((as) => `${m} ${p} as ${as}`)),
    );
    expect(missing).toEqual([]);
  });
});

describe("the document covers the API", () => {
  it("documents every route handler under app/api/v1", async () => {
    const root = path.join(process.cwd(), "app/api/v1");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts"));
    const undocumented: string[] = [];
    for (const file of files) {
      const apiPath = `/api/v1/${path.dirname(file)}`.replace(/\/\.$/, "").replace(/\[(\w+)\]/g, "{$1}");
      // The document does not describe the route that serves it.
      if (apiPath === "/api/v1/openapi.json") continue;
      const mod = (await import(/* @vite-ignore */ `@/app/api/v1/${file.replace(/\.ts$/, "")}`)) as Record<string, unknown>;
      for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof mod[method] === "function" && !doc.paths[apiPath]?.[method.toLowerCase()]) undocumented.push(`${method} ${apiPath}`);
      }
    }
    expect(files.length).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });

  it("gives every operation an operationId, and never offers anonymous access to a write", () => {
    const ops = Object.values(doc.paths).flatMap((o) => Object.entries(o));
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [method, op] of ops) if (method === "post") expect(op.security, op.operationId).not.toContainEqual({});
  });
});
