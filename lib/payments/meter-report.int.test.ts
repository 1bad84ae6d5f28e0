import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { GET as listRoute } from "@/app/api/v1/contributions/route";
import { queryRows } from "@/db/client";
import { apiUsagePeriods, meterReports, subscriptions, users } from "@/db/schema";
import { revenue } from "@/lib/admin/metrics";
import { createApiKey } from "@/lib/api-keys/keys";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { startFakeStripe, type FakeStripe } from "@/test/fake-stripe";
import { insertUser } from "@/test/fixtures";
import { TEST_ORIGIN } from "@/test/siwe";
import { TEST_STRIPE_KEY } from "@/test/stripe";

import { allocateMeterReports, sendMeterReports } from "./meter-report";
import { METER_EVENT_NAME } from "./metering";
import { ensurePrices } from "./setup";
import { getStripe } from "./stripe";

const testDb = setupTestDatabase();
let fake: FakeStripe;
const INCLUDED = 10;
const DAY = 86_400_000;
const ENV = { STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_PRICE_PRO: "price_pro", STRIPE_PRICE_ENTERPRISE: "price_ent", BILLING_INCLUDED_REQUESTS: String(INCLUDED) };

beforeAll(async () => {
  fake = await startFakeStripe();
  Object.assign(process.env, ENV, { STRIPE_API_BASE: fake.url });
  resetEnvCache();
  await ensurePrices(getStripe());
});
afterAll(async () => {
  for (const k of [...Object.keys(ENV), "STRIPE_API_BASE"]) delete process.env[k];
  resetEnvCache();
  await fake.close();
});
beforeEach(() => {
  fake.clockOffsetSeconds = 0;
  fake.failMeterEvents = 0;
});

const call = (key: string) => listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?limit=1`, { headers: { authorization: `Bearer ${key}` } }), undefined);

/** A Pro customer (a Stripe customer id, a billing period 10 days old) with two API keys. */
async function customer(period = { start: new Date(Date.now() - 10 * DAY), end: new Date(Date.now() + 20 * DAY) }) {
  const u = await insertUser(testDb.handle.db);
  const stripeCustomer = `cus_${u.id.slice(0, 8)}`;
  await testDb.handle.db.update(users).set({ stripeCustomerId: stripeCustomer }).where(eq(users.id, u.id));
  await testDb.handle.db.insert(subscriptions).values({ userId: u.id, plan: "pro", status: "active", stripeSubscriptionId: `sub_${u.id}`, currentPeriodStart: period.start, currentPeriodEnd: period.end });
  const keys = [];
  for (const name of ["a", "b"]) keys.push((await createApiKey({ userId: u.id, name, scopes: ["contributions:read"] })).key);
  return { userId: u.id, stripeCustomer, keys };
}

const metered = (stripeCustomer: string) => fake.meterEvents.filter((e) => e.customer === stripeCustomer && e.event_name === METER_EVENT_NAME);
const meteredSum = (stripeCustomer: string) => metered(stripeCustomer).reduce((s, e) => s + e.value, 0);

/** What our own counter says is billable: accepted requests beyond the included ones. */
async function billable(userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(testDb.handle.db, sql`SELECT coalesce(sum(greatest(0, requests - included)), 0)::int AS n FROM api_usage_periods WHERE user_id = ${userId}::uuid`);
  return Number(row!.n);
}

const report = async () => {
  await allocateMeterReports();
  return sendMeterReports();
};

describe("npm run stripe:setup", () => {
  it("creates the meter, each plan's monthly and metered overage price once, then finds them", async () => {
    const again = await ensurePrices(getStripe());
    expect(await ensurePrices(getStripe())).toEqual(again);
    expect(fake.meters.size).toBe(1);
    expect([...fake.meters.values()][0]).toMatchObject({ event_name: METER_EVENT_NAME, default_aggregation: { formula: "sum" }, customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" } });
    expect(fake.prices.size).toBe(4);
    const overage = [...fake.prices.values()].filter((p) => (p.recurring as { usage_type: string }).usage_type === "metered");
    expect(overage.map((p) => [p.lookup_key, p.unit_amount_decimal, (p.recurring as { meter: string }).meter]).sort()).toEqual([
      ["nwu_enterprise_overage", "0.02", again.meter],
      ["nwu_pro_overage", "0.05", again.meter],
    ]);
    // Both prices of a plan belong to one product.
    expect(new Set([...fake.prices.values()].map((p) => p.product)).size).toBe(2);
  });
});

describe("meter events", () => {
  it("report exactly the requests beyond the included ones, in batches, never twice", async () => {
    const c = await customer();
    await Promise.all(Array.from({ length: 25 }, (_, i) => call(c.keys[i % 2]!)));
    await report();
    expect(meteredSum(c.stripeCustomer)).toBe(15);
    await Promise.all(Array.from({ length: 5 }, (_, i) => call(c.keys[i % 2]!)));
    await report();
    await report();
    expect(metered(c.stripeCustomer).map((e) => e.value)).toEqual([15, 5]);
    expect(meteredSum(c.stripeCustomer)).toBe(await billable(c.userId));
    const rows = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, c.userId));
    expect(rows.every((r) => r.status === "sent" && !r.carriedOver)).toBe(true);
    expect(new Set(metered(c.stripeCustomer).map((e) => e.identifier)).size).toBe(2);
  });

  it("concurrent reporters while requests keep coming report each request exactly once", async () => {
    const c = await customer();
    const traffic = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => call(c.keys[i % 2]!)));
    await traffic(15);
    await Promise.all([report(), traffic(20), report(), report(), traffic(10), report()]);
    await Promise.all([report(), report()]);
    const expected = await billable(c.userId);
    expect(expected).toBe(45 - INCLUDED);
    expect(meteredSum(c.stripeCustomer)).toBe(expected);
  });

  it("a row whose send reached Stripe before a crash is sent again with its identifier, and Stripe's refusal of the duplicate counts as sent", async () => {
    const c = await customer();
    await Promise.all(Array.from({ length: 13 }, (_, i) => call(c.keys[i % 2]!)));
    await allocateMeterReports();
    const [row] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, c.userId));
    // The crashed run: Stripe took the event; our row stayed leased.
    await getStripe().billing.meterEvents.create({ event_name: METER_EVENT_NAME, identifier: row!.identifier, timestamp: Math.floor(row!.eventAt.getTime() / 1000), payload: { stripe_customer_id: c.stripeCustomer, value: String(row!.quantity) } });
    await testDb.handle.db.update(meterReports).set({ status: "sending", leaseUntil: new Date(Date.now() - 1000) }).where(eq(meterReports.id, row!.id));
    await sendMeterReports();
    expect(metered(c.stripeCustomer)).toHaveLength(1);
    expect(meteredSum(c.stripeCustomer)).toBe(3);
    const [after] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.id, row!.id));
    expect(after!.status).toBe("sent");
  });

  it("survive a Stripe outage: rows wait with their error and a backoff, then go out once", async () => {
    const c = await customer();
    await Promise.all(Array.from({ length: 14 }, (_, i) => call(c.keys[i % 2]!)));
    fake.failMeterEvents = 100;
    await report();
    const [waiting] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, c.userId));
    expect(waiting).toMatchObject({ status: "pending" });
    expect(waiting!.lastError).toBeTruthy();
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(metered(c.stripeCustomer)).toHaveLength(0);
    fake.failMeterEvents = 0;
    await report();
    expect(metered(c.stripeCustomer)).toHaveLength(0);
    await testDb.handle.db.update(meterReports).set({ nextAttemptAt: new Date() }).where(eq(meterReports.userId, c.userId));
    await report();
    expect(meteredSum(c.stripeCustomer)).toBe(4);
  });

  it("past Stripe's deduplication window, a row is sent again only when the meter's totals lack it", async () => {
    const held = await customer();
    const lost = await customer();
    for (const c of [held, lost]) await Promise.all(Array.from({ length: 12 }, (_, i) => call(c.keys[i % 2]!)));
    await allocateMeterReports();
    const [heldRow] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, held.userId));
    await getStripe().billing.meterEvents.create({ event_name: METER_EVENT_NAME, identifier: heldRow!.identifier, timestamp: Math.floor(heldRow!.eventAt.getTime() / 1000), payload: { stripe_customer_id: held.stripeCustomer, value: "2" } });
    // A day later both are still unsent on our side (Stripe no longer knows the identifiers).
    fake.clockOffsetSeconds = 25 * 3600;
    await testDb.handle.db.execute(sql`UPDATE meter_reports SET created_at = now() - interval '25 hours', status = 'sending', lease_until = now() - interval '1 second' WHERE user_id IN (${held.userId}, ${lost.userId})`);
    await sendMeterReports();
    expect(metered(held.stripeCustomer)).toHaveLength(1);
    expect(metered(lost.stripeCustomer)).toHaveLength(1);
    for (const c of [held, lost]) {
      expect(meteredSum(c.stripeCustomer)).toBe(2);
      const [r] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, c.userId));
      expect(r).toMatchObject({ status: "sent", reconciled: true });
    }
  });

  it("usage counted after its period's invoice closed goes on the next one, and says so", async () => {
    const c = await customer({ start: new Date(Date.now() - 32 * DAY), end: new Date(Date.now() - 2 * 3600_000) });
    await Promise.all(Array.from({ length: 11 }, (_, i) => call(c.keys[i % 2]!)));
    await report();
    const [r] = await testDb.handle.db.select().from(meterReports).where(eq(meterReports.userId, c.userId));
    expect(r).toMatchObject({ carriedOver: true, status: "sent", quantity: 1 });
    expect(Math.abs(r!.eventAt.getTime() - Date.now())).toBeLessThan(60_000);
    const [p] = await testDb.handle.db.select().from(apiUsagePeriods).where(eq(apiUsagePeriods.userId, c.userId));
    expect(p!.reported).toBe(1);
  });

  it("show on the admin's revenue: the requests billed this month and what they bill, as Stripe received them", async () => {
    const c = await customer();
    await Promise.all(Array.from({ length: 16 }, (_, i) => call(c.keys[i % 2]!)));
    await allocateMeterReports();
    expect((await revenue()).billedUsage.waiting).toBe(6);
    await sendMeterReports();
    const received = fake.meterEvents.reduce((s, e) => s + e.value, 0);
    // Every customer here is on Pro: 50 cents per 1,000.
    expect((await revenue()).billedUsage).toEqual({ requests: received, cents: Math.round((received * 50) / 1000), waiting: 0 });
  });
});
