import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { GET as listRoute } from "@/app/api/v1/contributions/route";
import { queryRows } from "@/db/client";
import { apiUsagePeriods, subscriptions } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { periodUsage } from "@/lib/payments/metering";
import { PLANS } from "@/lib/payments/plans";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { TEST_ORIGIN } from "@/test/siwe";

import { createApiKey } from "./keys";

const testDb = setupTestDatabase();

const call = (key: string) => listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?limit=1`, { headers: { authorization: `Bearer ${key}` } }), undefined);

const DAY = 86_400_000;

/** A customer on `plan` whose current billing period began 10 days ago, with `keys` API keys. */
async function customer(plan: "pro" | "enterprise", keys = 1, period: { start: Date; end: Date } | null = { start: new Date(Date.now() - 10 * DAY), end: new Date(Date.now() + 20 * DAY) }) {
  const u = await insertUser(testDb.handle.db);
  const [sub] = await testDb.handle.db
    .insert(subscriptions)
    .values({ userId: u.id, plan, status: "active", stripeSubscriptionId: `sub_${u.id}`, currentPeriodStart: period?.start ?? null, currentPeriodEnd: period?.end ?? null })
    .returning({ id: subscriptions.id });
  const made = [];
  for (let i = 0; i < keys; i++) made.push((await createApiKey({ userId: u.id, name: `k${i}`, scopes: ["contributions:read"] })).key);
  return { user: u, subscriptionId: sub!.id, keys: made };
}

const periods = (subscriptionId: string) => testDb.handle.db.select().from(apiUsagePeriods).where(eq(apiUsagePeriods.subscriptionId, subscriptionId));

afterEach(() => {
  delete process.env.BILLING_INCLUDED_REQUESTS;
  resetEnvCache();
});

describe("billing-period request counter", () => {
  it("counts a paid customer's accepted keyed requests per period, summed over their keys, exactly under concurrency", async () => {
    const c = await customer("pro", 2);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => call(c.keys[i % 2]!)));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const rows = await periods(c.subscriptionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: c.user.id, plan: "pro", requests: 40, reported: 0, included: PLANS.pro.includedRequests });
  });

  it("does not bill the requests the daily or burst limits refuse", async () => {
    const c = await customer("pro");
    // The burst window is fixed (10 s on the database clock): on a busy machine a batch may straddle
    // two windows, so batches go until some were refused. The billed count is the accepted ones, exactly.
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 5 && refused === 0; round++) {
      const statuses = (await Promise.all(Array.from({ length: PLANS.pro.burst + 10 }, () => call(c.keys[0]!)))).map((a) => a.status);
      accepted += statuses.filter((s) => s === 200).length;
      refused += statuses.filter((s) => s === 429).length;
    }
    expect(refused).toBeGreaterThan(0);
    const [row] = await periods(c.subscriptionId);
    expect(row!.requests).toBe(accepted);
  });

  it("stops at the plan's cap: exactly the remaining requests pass, the rest answer 429 until the period ends", async () => {
    const c = await customer("pro", 2);
    expect((await call(c.keys[0]!)).status).toBe(200);
    await testDb.handle.db.update(apiUsagePeriods).set({ requests: PLANS.pro.periodCap! - 5 }).where(eq(apiUsagePeriods.subscriptionId, c.subscriptionId));
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call(c.keys[i % 2]!)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(7);
    const retryAfter = Number(refused[0]!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(19 * 86_400);
    expect(retryAfter).toBeLessThanOrEqual(20 * 86_400);
    expect(((await refused[0]!.json()) as { detail: string }).detail).toMatch(/billing period are used up/);
    const [row] = await periods(c.subscriptionId);
    expect(row!.requests).toBe(PLANS.pro.periodCap);
  });

  it("has no cap on enterprise", async () => {
    const c = await customer("enterprise");
    expect((await call(c.keys[0]!)).status).toBe(200);
    await testDb.handle.db.update(apiUsagePeriods).set({ requests: 50_000_000 }).where(eq(apiUsagePeriods.subscriptionId, c.subscriptionId));
    expect((await call(c.keys[0]!)).status).toBe(200);
    expect((await periods(c.subscriptionId))[0]!.requests).toBe(50_000_001);
  });

  it("starts a new row when Stripe moves the subscription to its next period", async () => {
    const c = await customer("pro");
    await call(c.keys[0]!);
    const next = new Date(Date.now() + 20 * DAY);
    await testDb.handle.db.update(subscriptions).set({ currentPeriodStart: new Date(Date.now() - 1000), currentPeriodEnd: next }).where(eq(subscriptions.id, c.subscriptionId));
    await call(c.keys[0]!);
    await call(c.keys[0]!);
    const rows = (await periods(c.subscriptionId)).sort((a, b) => a.periodStart.getTime() - b.periodStart.getTime());
    expect(rows.map((r) => r.requests)).toEqual([1, 2]);
  });

  it("bills nobody on the free plan, nor a subscription whose period Stripe has not sent yet", async () => {
    const free = await insertUser(testDb.handle.db);
    const { key } = await createApiKey({ userId: free.id, name: "free", scopes: ["contributions:read"] });
    expect((await call(key)).status).toBe(200);
    const noPeriod = await customer("pro", 1, null);
    expect((await call(noPeriod.keys[0]!)).status).toBe(200);
    const [n] = await queryRows<{ n: number }>(testDb.handle.db, sql`SELECT count(*)::int AS n FROM api_usage_periods WHERE user_id IN (${free.id}, ${noPeriod.user.id})`);
    expect(Number(n!.n)).toBe(0);
  });

  it("records the included amount of BILLING_INCLUDED_REQUESTS when it is set (a test setting)", async () => {
    process.env.BILLING_INCLUDED_REQUESTS = "25";
    resetEnvCache();
    const c = await customer("enterprise");
    await call(c.keys[0]!);
    expect((await periods(c.subscriptionId))[0]!.included).toBe(25);
  });

  it("shows the period's usage: included vs billed so far, and the overage projected at the pace so far", async () => {
    process.env.BILLING_INCLUDED_REQUESTS = "10";
    resetEnvCache();
    const c = await customer("pro");
    await Promise.all(Array.from({ length: 20 }, () => call(c.keys[0]!)));
    const usage = await periodUsage(c.subscriptionId, "pro");
    // 20 requests in the first third of a 30-day period: 60 at this pace, 50 beyond the 10 included, at 50 cents per 1,000.
    expect(usage).toMatchObject({ requests: 20, included: 10, billed: 10, projectedBilled: 50, projectedOverageCents: 3 });
    expect(await periodUsage((await customer("pro", 1, null)).subscriptionId, "pro")).toBeNull();
  });
});
