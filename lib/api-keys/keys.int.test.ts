import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as listRoute, POST as uploadRoute } from "@/app/api/v1/contributions/route";
import { GET as statsRoute } from "@/app/api/v1/users/[address]/stats/route";
import { apiKeys, subscriptions, usageRecords } from "@/db/schema";
import { queryRows } from "@/db/client";
import { PLANS } from "@/lib/payments/plans";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { TEST_ORIGIN } from "@/test/siwe";

import { KEY_SHAPE, createApiKey, generateKey, hashKey, listApiKeys, revokeApiKey } from "./keys";
import { flushUsage } from "./usage";

const testDb = setupTestDatabase();
let user: { id: string; address: string };

beforeAll(async () => {
  user = await insertUser(testDb.handle.db);
});

const call = (key: string, path = "/api/v1/contributions?limit=1") => listRoute(new Request(`${TEST_ORIGIN}${path}`, { headers: { authorization: `Bearer ${key}` } }), undefined);

describe("API keys", () => {
  it("look like nwu_ + 32 random bytes in base62", () => {
    const a = generateKey();
    expect(a).toMatch(KEY_SHAPE);
    expect(a.length).toBeGreaterThanOrEqual(4 + 43);
    expect(generateKey()).not.toBe(a);
  });

  it("are stored only as a SHA-256 hash, shown once, listed without secrets", async () => {
    const { key, apiKey } = await createApiKey({ userId: user.id, name: "ci", scopes: ["contributions:read"] });
    const rows = await queryRows<Record<string, unknown>>(testDb.handle.db, sql`SELECT * FROM api_keys`);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice(4));
    expect(rows[0]!.key_hash).toBe(hashKey(key));
    expect(apiKey).toMatchObject({ prefix: key.slice(0, 10), last4: key.slice(-4), plan: "free", active: true });
    const page = await listApiKeys({ userId: user.id, limit: 10 });
    expect(JSON.stringify(page)).not.toContain(hashKey(key));
    expect(page.items.map((k) => k.id)).toContain(apiKey.id);
  });

  it("authenticate requests, enforce scopes, and stop working the moment they are revoked", async () => {
    const { key, apiKey } = await createApiKey({ userId: user.id, name: "reader", scopes: ["contributions:read"] });
    const ok = await call(key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-limit")).toBeTruthy();
    const noScope = await statsRoute(new Request(`${TEST_ORIGIN}/x`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ address: user.address }) });
    expect(noScope.status).toBe(403);
    await revokeApiKey({ userId: user.id, id: apiKey.id });
    expect((await call(key)).status).toBe(401);
    expect((await call(`nwu_${"x".repeat(43)}`)).status).toBe(401);
  });

  it("expired keys are refused; another user cannot revoke your key", async () => {
    const other = await insertUser(testDb.handle.db);
    const { key, apiKey } = await createApiKey({ userId: other.id, name: "short", scopes: ["contributions:read"], expiresAt: new Date(Date.now() + 60_000) });
    await expect(revokeApiKey({ userId: user.id, id: apiKey.id })).rejects.toThrow(/No such API key/);
    expect((await call(key)).status).toBe(200);
    await testDb.handle.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, apiKey.id));
    expect((await call(key)).status).toBe(401);
  });

  it("cap active keys by plan", async () => {
    const capped = await insertUser(testDb.handle.db);
    for (let i = 0; i < PLANS.free.maxKeys; i++) await createApiKey({ userId: capped.id, name: `k${i}`, scopes: ["stats:read"] });
    await expect(createApiKey({ userId: capped.id, name: "one too many", scopes: ["stats:read"] })).rejects.toThrow(/allows 2 active keys/);
  });

  it("let a key with contributions:write upload without a cookie or Origin", async () => {
    const { key } = await createApiKey({ userId: (await insertUser(testDb.handle.db)).id, name: "writer", scopes: ["contributions:write"] });
    const fd = new FormData();
    fd.append("title", "Via key");
    fd.append("file_type", "document");
    fd.append("file", new Blob(["# Hello\n\nFrom the API.\n"]), "hello.md");
    const res = await uploadRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: fd }), undefined);
    expect(res.status).toBe(201);
  });
});

describe("rate limits and usage", () => {
  it("enforce the burst window with 429, Retry-After and RateLimit headers", async () => {
    const u = await insertUser(testDb.handle.db);
    const { key } = await createApiKey({ userId: u.id, name: "burst", scopes: ["contributions:read"] });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < PLANS.free.burst + 2; i++) {
      last = await call(key);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, PLANS.free.burst).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(PLANS.free.burst)).toEqual([429, 429]);
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(last!.headers.get("ratelimit-reset"))).toBeLessThanOrEqual(10);
    expect(last!.headers.get("content-type")).toBe("application/problem+json");
  });

  it("enforce the daily quota of the plan, upgraded by a paid subscription", async () => {
    const u = await insertUser(testDb.handle.db);
    const { key, apiKey } = await createApiKey({ userId: u.id, name: "daily", scopes: ["contributions:read"] });
    // Pretend the day is nearly used up.
    await testDb.handle.db.execute(
      sql`INSERT INTO rate_limit_buckets (key, window_start, count, expires_at)
          VALUES (${`day:${apiKey.id}`}, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', ${PLANS.free.daily - 1}, now() + interval '1 day')`,
    );
    expect((await call(key)).status).toBe(200);
    const over = await call(key);
    expect(over.status).toBe(429);
    expect(over.headers.get("ratelimit-limit")).toBe(String(PLANS.free.daily));
    await testDb.handle.db.insert(subscriptions).values({ userId: u.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${u.id}` });
    const upgraded = await call(key);
    expect(upgraded.status).toBe(200);
    // The headers describe the window closest to exhaustion: now the pro plan's burst window.
    expect(upgraded.headers.get("ratelimit-limit")).toBe(String(PLANS.pro.burst));
  });

  it("count accepted requests per (subscription, day, endpoint, key) in batches", async () => {
    const u = await insertUser(testDb.handle.db);
    const { key, apiKey } = await createApiKey({ userId: u.id, name: "usage", scopes: ["contributions:read"] });
    for (let i = 0; i < 5; i++) await call(key);
    await flushUsage();
    const rows = await testDb.handle.db.select().from(usageRecords).where(eq(usageRecords.apiKeyId, apiKey.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpoint: "GET /api/v1/contributions", requestCount: 5 });
    for (let i = 0; i < 3; i++) await call(key);
    await flushUsage();
    const [again] = await testDb.handle.db.select().from(usageRecords).where(eq(usageRecords.apiKeyId, apiKey.id));
    expect(again!.requestCount).toBe(8);
    const [k] = await testDb.handle.db.select({ used: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(k!.used).not.toBeNull();
  });
});
