import "server-only";

import { desc, eq, sql } from "drizzle-orm";

import { getDb, queryRows, type Tx } from "@/db/client";
import { revenueSharePeriods } from "@/db/schema";
import { REVENUE_SHARE_KIND, sqlLiterals } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ConflictError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { recordEvents } from "@/lib/outbox/record";
import { PAID_PLANS } from "@/lib/payments/plans";

import { monthOf, nextMonth } from "./period";
import { flushReads } from "./reads";

/**
 * Closing a month of API revenue share, exactly once.
 *
 * The pool, in wei (1 NWU = 10^18 wei): REVENUE_SHARE_PERCENT of the month's net API revenue — the
 * paid-plan invoices paid in the month, less the refunds recorded since the previous close (so a
 * refund that comes after its month closed reduces the next pool) — at NWU_PER_USD, rounded down to
 * the wei, plus what the previous month carried. With no eligible reads (or a pool of zero or less)
 * the whole pool carries to the next month.
 *
 * Allocation (one INSERT … SELECT): each verified, non-duplicate, non-calibration contribution read
 * in the month gets pool × its reads / all eligible reads, rounded down to the wei; the wei left
 * over (fewer than the number of parts) go one each to the largest remainders, ties by contribution
 * id — the largest remainder method, so the parts sum exactly to the pool. A part of zero wei makes
 * no reward.
 *
 * The month's row is inserted first, in the same transaction: a concurrent close of the same month
 * waits on its key and then finds it closed; a rerun changes nothing.
 */
export interface ClosedPeriod {
  period: string;
  revenueCents: number;
  refundsCents: number;
  poolWei: string;
  allocatedWei: string;
  carriedOutWei: string;
  eligibleReads: number;
  rewards: number;
  /** False when the month was closed already (by an earlier run or a concurrent one). */
  closedNow: boolean;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])(-01)?$/;

/** "2026-11" or "2026-11-01" → "2026-11-01"; only months already over can close. */
export function closablePeriod(input: string, now = new Date()): string {
  if (!PERIOD.test(input)) throw new ValidationError("Name a month as YYYY-MM", { period: ["must be a month such as 2026-11"] });
  const period = input.length === 7 ? `${input}-01` : input;
  if (period >= monthOf(now)) throw new ValidationError("Only a month that is over can close", { period: [`must be before ${monthOf(now).slice(0, 7)}`] });
  return period;
}

const PAID = sql.raw(sqlLiterals(PAID_PLANS));
/** A month's first instant, UTC (whatever the session's time zone). */
const utcStart = (period: string) => sql`(${period}::date::timestamp AT TIME ZONE 'UTC')`;

/**
 * The month's revenue, the refunds recorded so far on the paid-plan invoices of the months shared
 * (from the first closed one to this one's end), and the pool. Runs after the month's row is inserted.
 */
async function poolOf(tx: Tx, period: string, previous: { refundsSeenCents: number; carriedOutWei: string } | undefined) {
  const { REVENUE_SHARE_PERCENT, NWU_PER_USD } = getEnv();
  const [row] = await queryRows<{ revenue: string; refunds_seen: string; net: string; pool: string }>(
    tx,
    sql`
      WITH paid AS (
        SELECT p.amount_cents, p.refunded_cents, p.paid_at
        FROM payments p JOIN subscriptions s ON s.id = p.subscription_id
        WHERE p.status IN ('succeeded', 'refunded') AND s.plan IN (${PAID}) AND p.paid_at < ${utcStart(nextMonth(period))}
          -- Refunds count from the first month ever closed (this one, on the first close): earlier revenue was never shared.
          AND p.paid_at >= ((SELECT min(period) FROM revenue_share_periods)::timestamp AT TIME ZONE 'UTC')
      ), sums AS (
        SELECT coalesce(sum(amount_cents) FILTER (WHERE paid_at >= ${utcStart(period)}), 0) AS revenue, coalesce(sum(refunded_cents), 0) AS refunds_seen FROM paid
      )
      SELECT revenue::text, refunds_seen::text, (revenue - (refunds_seen - ${previous?.refundsSeenCents ?? 0}::bigint))::text AS net,
        (floor((revenue - (refunds_seen - ${previous?.refundsSeenCents ?? 0}::bigint))::numeric * ${String(REVENUE_SHARE_PERCENT)}::numeric * ${NWU_PER_USD}::numeric * 1e14)
          + ${previous?.carriedOutWei ?? "0"}::numeric)::text AS pool
      FROM sums`,
  );
  return {
    revenueCents: Number(row!.revenue),
    refundsSeenCents: Number(row!.refunds_seen),
    refundsCents: Number(row!.refunds_seen) - (previous?.refundsSeenCents ?? 0),
    poolWei: row!.pool,
    sharePercent: String(REVENUE_SHARE_PERCENT),
    nwuPerUsd: NWU_PER_USD,
  };
}

/**
 * The month's reads of eligible contributions with their owners. A month's reads are a small part of
 * all contributions: each is looked up by primary key (OFFSET 0 keeps the planner from turning the
 * LATERAL into a hash join over the whole contributions table, 6× slower at 10,000 of 1M).
 */
const ELIGIBLE = (period: string) => sql`
  SELECT r.contribution_id, c.user_id, r.reads::numeric AS reads
  FROM contribution_reads r CROSS JOIN LATERAL (
    SELECT c.user_id FROM contributions c WHERE c.id = r.contribution_id AND c.status = 'verified' AND c.duplicate_of IS NULL AND NOT c.calibration OFFSET 0
  ) c
  WHERE r.period = ${period}::date`;

/** The sum of the month's eligible reads (the allocation's denominator). */
export async function eligibleReads(tx: Tx, period: string): Promise<number> {
  const [row] = await queryRows<{ reads: string }>(tx, sql`SELECT coalesce(sum(reads), 0)::text AS reads FROM (${ELIGIBLE(period)}) e`);
  return Number(row!.reads);
}

interface Allocated {
  id: string;
  user_id: string;
  contribution_id: string;
  amount: string;
  created_at: string;
}

/** The allocation statement (see the file's comment): the rewards it created. */
export function allocate(tx: Tx, period: string, poolWei: string): Promise<Allocated[]> {
  return queryRows<Allocated>(
    tx,
    sql`
      WITH eligible AS (${ELIGIBLE(period)}),
      total AS (SELECT sum(reads) AS reads FROM eligible),
      parts AS (
        SELECT e.contribution_id, e.user_id, div(${poolWei}::numeric * e.reads, t.reads) AS base, mod(${poolWei}::numeric * e.reads, t.reads) AS rem
        FROM eligible e CROSS JOIN total t
      ),
      ranked AS (
        SELECT contribution_id, user_id, base,
          row_number() OVER (ORDER BY rem DESC, contribution_id) AS rank, ${poolWei}::numeric - sum(base) OVER () AS leftover
        FROM parts
      ),
      wei AS (SELECT contribution_id, user_id, base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END AS wei FROM ranked)
      INSERT INTO rewards (user_id, contribution_id, kind, period, amount)
      SELECT user_id, contribution_id, ${REVENUE_SHARE_KIND}, ${period}::date, (wei * 1e-18)::numeric(38, 18) FROM wei WHERE wei > 0
      ON CONFLICT DO NOTHING
      RETURNING id, user_id, contribution_id, trim_scale(amount)::text AS amount, created_at::text`,
  );
}

const EVENT_BATCH = 500;

async function announce(tx: Tx, created: Allocated[]): Promise<void> {
  for (let i = 0; i < created.length; i += EVENT_BATCH) {
    await recordEvents(
      tx,
      created.slice(i, i + EVENT_BATCH).map((r) => ({
        type: "reward.created" as const,
        audience: [r.user_id],
        data: { reward_id: r.id, contribution_id: r.contribution_id, amount: r.amount, created_at: new Date(r.created_at).toISOString() },
      })),
    );
  }
}

/** Months close in order: the first ever may be any month that is over, then each the one after the last. */
async function assertInOrder(tx: Tx, period: string) {
  const [last] = await tx
    .select({ period: revenueSharePeriods.period, refundsSeenCents: revenueSharePeriods.refundsSeenCents, carriedOutWei: revenueSharePeriods.carriedOutWei })
    .from(revenueSharePeriods)
    .where(sql`${revenueSharePeriods.period} <> ${period}`)
    .orderBy(desc(revenueSharePeriods.period))
    .limit(1);
  if (last && last.period > period) throw new ConflictError(`A later month (${last.period.slice(0, 7)}) is closed already: months close in order`);
  if (last && nextMonth(last.period) !== period) throw new ConflictError(`Close ${nextMonth(last.period).slice(0, 7)} first: months close in order`);
  return last;
}

/** Closes `period` (a "YYYY-MM-01" that is over) once; `actorId` names the admin who ran it (null: the monthly job). */
export async function closeRevenuePeriod(period: string, actorId: string | null = null): Promise<ClosedPeriod> {
  await flushReads();
  return getDb().transaction(async (tx) => {
    const zero = { revenueCents: 0, refundsCents: 0, refundsSeenCents: 0, sharePercent: "0", nwuPerUsd: "0", carriedInWei: "0", poolWei: "0", allocatedWei: "0", carriedOutWei: "0", eligibleReads: 0, rewards: 0 };
    const [claimed] = await tx
      .insert(revenueSharePeriods)
      .values({ period, ...zero, closedBy: actorId })
      .onConflictDoNothing()
      .returning({ period: revenueSharePeriods.period });
    if (!claimed) {
      const [done] = await tx.select().from(revenueSharePeriods).where(eq(revenueSharePeriods.period, period));
      return { ...summary(done!), closedNow: false };
    }
    const previous = await assertInOrder(tx, period);
    const pool = await poolOf(tx, period, previous);
    const reads = await eligibleReads(tx, period);
    const created = reads > 0 && BigInt(pool.poolWei) > 0n ? await allocate(tx, period, pool.poolWei) : [];
    const allocatedWei = created.reduce((sum, r) => sum + toWei(r.amount), 0n).toString();
    const [row] = await tx
      .update(revenueSharePeriods)
      .set({
        revenueCents: pool.revenueCents,
        refundsCents: pool.refundsCents,
        refundsSeenCents: pool.refundsSeenCents,
        sharePercent: pool.sharePercent,
        nwuPerUsd: pool.nwuPerUsd,
        carriedInWei: previous?.carriedOutWei ?? "0",
        poolWei: pool.poolWei,
        allocatedWei,
        carriedOutWei: (BigInt(pool.poolWei) - BigInt(allocatedWei)).toString(),
        eligibleReads: reads,
        rewards: created.length,
      })
      .where(eq(revenueSharePeriods.period, period))
      .returning();
    await announce(tx, created);
    log.info("revenue share closed", { period, poolWei: pool.poolWei, rewards: created.length, eligibleReads: reads });
    return { ...summary(row!), closedNow: true };
  });
}

/** "1.5" NWU → 1500000000000000000n wei (amounts have at most 18 decimals). */
const toWei = (amount: string): bigint => {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole!) * 10n ** 18n + BigInt(fraction.padEnd(18, "0"));
};

function summary(row: typeof revenueSharePeriods.$inferSelect): Omit<ClosedPeriod, "closedNow"> {
  return {
    period: row.period,
    revenueCents: row.revenueCents,
    refundsCents: row.refundsCents,
    poolWei: row.poolWei,
    allocatedWei: row.allocatedWei,
    carriedOutWei: row.carriedOutWei,
    eligibleReads: row.eligibleReads,
    rewards: row.rewards,
  };
}
