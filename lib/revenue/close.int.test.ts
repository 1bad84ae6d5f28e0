import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { queryRows } from "@/db/client";
import { contributionReads, events, payments, revenueSharePeriods, rewards, subscriptions } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { getUserRewards, getUserStats } from "@/lib/users/stats";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { closablePeriod, closeRevenuePeriod } from "./close";
import { apiEarnings } from "./earnings";
import { revenueShareMonths } from "./overview";

const testDb = setupTestDatabase();
const WEI = 10n ** 18n;

// One database per file: each case starts with no closed month, reads, rewards or revenue.
beforeEach(async () => {
  await testDb.handle.db.execute(sql`TRUNCATE revenue_share_periods, contribution_reads, rewards, payments, events CASCADE`);
});

afterEach(() => {
  delete process.env.REVENUE_SHARE_PERCENT;
  delete process.env.NWU_PER_USD;
  resetEnvCache();
});

/** A paid (or free) customer's invoice of `cents`, paid at `paidAt`, with `refunded` of it refunded. */
async function invoice(cents: number, paidAt: string, { plan = "pro" as "pro" | "free", refunded = 0 } = {}) {
  const { db } = testDb.handle;
  const u = await insertUser(db);
  const [sub] = await db.insert(subscriptions).values({ userId: u.id, plan, status: "active", stripeSubscriptionId: `sub_${u.id}` }).returning({ id: subscriptions.id });
  const [p] = await db
    .insert(payments)
    .values({ userId: u.id, subscriptionId: sub!.id, stripePaymentId: `in_${u.id}`, amountCents: cents, refundedCents: refunded, status: refunded === cents && cents > 0 ? "refunded" : "succeeded", paidAt: new Date(paidAt) })
    .returning({ id: payments.id });
  return p!.id;
}

/** A contribution (verified unless told) of a fresh owner, read `reads` times in `period`. */
async function readWork(period: string, reads: number, values: Parameters<typeof insertContribution>[2] = { status: "verified" }) {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  const id = await insertContribution(db, owner.id, values);
  await db.insert(contributionReads).values({ period, contributionId: id, reads });
  return { id, ownerId: owner.id };
}

const shares = async (period: string) =>
  (
    await queryRows<{ contribution_id: string; user_id: string; wei: string }>(
      testDb.handle.db,
      sql`SELECT contribution_id, user_id, (amount * 1e18)::numeric(78,0)::text AS wei FROM rewards WHERE kind = 'revenue_share' AND period = ${period}::date`,
    )
  ).map((r) => ({ ...r, wei: BigInt(r.wei) }));

describe("closing a month of revenue share", () => {
  it("allocates the share of the month's paid-plan revenue by eligible reads, summing exactly to the pool", async () => {
    await invoice(9_900, "2026-03-10T12:00:00Z");
    await invoice(9_900, "2026-03-31T23:59:59Z");
    await invoice(5_000, "2026-04-01T00:00:00Z"); // next month
    await invoice(9_900, "2026-03-15T00:00:00Z", { plan: "free" }); // not a paid plan's
    const a = await readWork("2026-03-01", 1);
    const b = await readWork("2026-03-01", 2);
    const c = await readWork("2026-03-01", 4);
    const pending = await readWork("2026-03-01", 50, { status: "pending" });
    const duplicate = await readWork("2026-03-01", 50, { status: "verified", duplicateOf: a.id });
    const calibration = await readWork("2026-03-01", 50, { status: "verified", calibration: true });
    await readWork("2026-02-01", 50); // another month's reads

    const closed = await closeRevenuePeriod("2026-03-01");
    // $198 × 20% × 10 NWU/$ = 396 NWU.
    const pool = 396n * WEI;
    expect(closed).toMatchObject({ period: "2026-03-01", revenueCents: 19_800, refundsCents: 0, poolWei: pool.toString(), allocatedWei: pool.toString(), carriedOutWei: "0", eligibleReads: 7, rewards: 3, closedNow: true });
    const parts = await shares("2026-03-01");
    expect(parts.reduce((s, p) => s + p.wei, 0n)).toBe(pool);
    const byId = new Map(parts.map((p) => [p.contribution_id, p]));
    expect([...byId.keys()].sort()).toEqual([a.id, b.id, c.id].sort());
    for (const [w, reads] of [[a, 1n], [b, 2n], [c, 4n]] as const) {
      const exact = (pool * reads) / 7n; // floor
      expect(byId.get(w.id)!.wei - exact).toBeGreaterThanOrEqual(0n);
      expect(byId.get(w.id)!.wei - exact).toBeLessThanOrEqual(1n);
      expect(byId.get(w.id)!.user_id).toBe(w.ownerId);
    }
    for (const none of [pending, duplicate, calibration]) expect(byId.has(none.id)).toBe(false);
    // Paid like any reward (pending, for the payout batch), announced as reward.created.
    const rows = await testDb.handle.db.select().from(rewards).where(and(eq(rewards.kind, "revenue_share"), eq(rewards.period, "2026-03-01")));
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    expect(await testDb.handle.db.$count(events, eq(events.type, "reward.created"))).toBe(3);

    // What the contributor sees: earned from API use, per contribution, in their stats and wallet.
    const [owner] = await testDb.handle.db.select({ address: sql<string>`address` }).from(sql`users`).where(sql`id = ${c.ownerId}`);
    const share = Number(byId.get(c.id)!.wei) / 1e18;
    expect((await getUserStats(owner!.address)).rewards.api_use).toBeCloseTo(share, 9);
    const wallet = await getUserRewards({ address: owner!.address, limit: 10 });
    expect(wallet.totals.api_use).toBeCloseTo(share, 9);
    expect(wallet.page.items).toEqual([expect.objectContaining({ contribution_id: c.id, kind: "revenue_share", period: "2026-03-01", status: "pending" })]);
    expect(await apiEarnings(c.ownerId)).toEqual([{ contributionId: c.id, title: "Live", earned: expect.stringMatching(/^226\.28571428571428571\d$/), readsThisMonth: 0 }]);
    expect((await revenueShareMonths(12, new Date("2026-05-15T00:00:00Z"))).next).toBe("2026-04-01");
  });

  it("rounds by largest remainder: a pool that does not divide gives the leftover wei to the largest remainders", async () => {
    process.env.NWU_PER_USD = "0.000000000000000001"; // 1 wei per dollar: a tiny pool shows the rounding
    process.env.REVENUE_SHARE_PERCENT = "100";
    resetEnvCache();
    await invoice(1_000, "2026-03-05T00:00:00Z"); // $10 → 10 wei
    const works = [await readWork("2026-03-01", 1), await readWork("2026-03-01", 1), await readWork("2026-03-01", 1)];
    const closed = await closeRevenuePeriod("2026-03-01");
    expect(closed.poolWei).toBe("10");
    const parts = (await shares("2026-03-01")).map((p) => p.wei).sort();
    expect(parts).toEqual([3n, 3n, 4n]);
    // Equal remainders: the leftover wei goes to the smallest contribution id.
    const four = (await shares("2026-03-01")).find((p) => p.wei === 4n)!;
    expect(four.contribution_id).toBe(works.map((w) => w.id).sort()[0]);
  });

  it("closes a month once: a rerun and concurrent runs make one allocation", async () => {
    await invoice(9_900, "2026-03-10T12:00:00Z");
    await readWork("2026-03-01", 3);
    await readWork("2026-03-01", 5);
    const runs = await Promise.all(Array.from({ length: 5 }, () => closeRevenuePeriod("2026-03-01")));
    expect(runs.filter((r) => r.closedNow)).toHaveLength(1);
    expect(new Set(runs.map((r) => r.poolWei)).size).toBe(1);
    const again = await closeRevenuePeriod("2026-03-01");
    expect(again.closedNow).toBe(false);
    expect(await testDb.handle.db.$count(rewards, eq(rewards.kind, "revenue_share"))).toBe(2);
    expect(await testDb.handle.db.$count(revenueSharePeriods)).toBe(1);
  });

  it("carries a month without eligible reads to the next, and takes later refunds off the next pool", async () => {
    const paid = await invoice(9_900, "2026-03-10T12:00:00Z");
    await readWork("2026-03-01", 9, { status: "rejected" });
    const march = await closeRevenuePeriod("2026-03-01");
    expect(march).toMatchObject({ poolWei: (198n * WEI).toString(), allocatedWei: "0", carriedOutWei: (198n * WEI).toString(), rewards: 0 });

    // March's invoice is partly refunded after March closed; April earns $50.
    await testDb.handle.db.update(payments).set({ refundedCents: 900 }).where(eq(payments.id, paid));
    await invoice(5_000, "2026-04-02T00:00:00Z");
    const w = await readWork("2026-04-01", 1);
    const april = await closeRevenuePeriod("2026-04-01");
    // ($50 − $9) × 20% × 10 = 82 NWU, plus March's 198 carried.
    expect(april).toMatchObject({ revenueCents: 5_000, refundsCents: 900, poolWei: (280n * WEI).toString(), allocatedWei: (280n * WEI).toString(), carriedOutWei: "0", rewards: 1 });
    expect(await shares("2026-04-01")).toEqual([{ contribution_id: w.id, user_id: w.ownerId, wei: 280n * WEI }]);
  });

  it("takes off the first month's pool only the refunds of its own invoices, not of months never shared", async () => {
    await invoice(9_900, "2026-01-10T00:00:00Z", { refunded: 9_900 }); // before any month was shared
    await invoice(9_900, "2026-03-10T00:00:00Z", { refunded: 900 });
    await readWork("2026-03-01", 1);
    expect(await closeRevenuePeriod("2026-03-01")).toMatchObject({ revenueCents: 9_900, refundsCents: 900, poolWei: (180n * WEI).toString() });
  });

  it("closes months in order, and only months that are over", async () => {
    await closeRevenuePeriod("2026-03-01");
    await expect(closeRevenuePeriod("2026-05-01")).rejects.toMatchObject({ status: 409, message: expect.stringContaining("2026-04") });
    await expect(closeRevenuePeriod("2026-02-01")).rejects.toMatchObject({ status: 409 });
    expect(await testDb.handle.db.$count(revenueSharePeriods)).toBe(1);
    expect(closablePeriod("2026-04", new Date("2026-12-03T00:00:00Z"))).toBe("2026-04-01");
    expect(() => closablePeriod("2026-12", new Date("2026-12-03T00:00:00Z"))).toThrow(/over/);
    expect(() => closablePeriod("2026-13", new Date("2026-12-03T00:00:00Z"))).toThrow(/YYYY-MM/);
  });
});
