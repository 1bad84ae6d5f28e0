import "server-only";

import { sql } from "drizzle-orm";

import { getDb, getReadDb, queryRows } from "@/db/client";
import { cached } from "@/lib/cache";
import { toNumber } from "@/db/numeric";
import { PLANS } from "@/lib/payments/plans";
import type { Plan } from "@/db/schema";
import { HELD_STATUSES, OPEN_STATUSES, sqlLiterals } from "@/db/vocabulary";

/**
 * The admin console's figures, each one SQL aggregate. Churn (30 days) = paid subscriptions
 * canceled in the last 30 days ÷ (paid subscriptions active now + those canceled in the last 30 days).
 */
export interface Revenue {
  mrrCents: number;
  arrCents: number;
  monthCents: number;
  churn30d: number;
  activeSubscriptions: number;
  daily: { date: string; cents: number }[];
  /** API requests beyond the included ones reported to Stripe's meter this month, what they bill, and what waits to be reported. */
  billedUsage: { requests: number; cents: number; waiting: number };
}

/** Cents per 1,000 overage requests of each plan, as SQL over a `plan` column (the prices live in lib/payments/plans.ts). */
const overageCentsPer1kSql = (column: string) =>
  `CASE ${column} ${Object.values(PLANS)
    .filter((p) => p.overageCentsPer1k !== null)
    .map((p) => `WHEN '${p.id}' THEN ${p.overageCentsPer1k}`)
    .join(" ")} ELSE 0 END`;

export async function revenue(): Promise<Revenue> {
  const db = getReadDb();
  const [plans, [month], [churn], daily, [usage]] = await Promise.all([
    queryRows<{ plan: Plan; n: number }>(
      db,
      sql`SELECT plan, count(*)::int AS n FROM subscriptions
          WHERE status IN ('active', 'trialing', 'past_due') AND stripe_subscription_id IS NOT NULL GROUP BY plan`,
    ),
    queryRows<{ cents: string | number | null }>(
      db,
      sql`SELECT coalesce(sum(amount_cents - refunded_cents), 0) AS cents FROM payments
          WHERE status IN ('succeeded', 'refunded') AND paid_at >= date_trunc('month', now())`,
    ),
    queryRows<{ canceled: number; active: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE status = 'canceled' AND canceled_at >= now() - interval '30 days')::int AS canceled,
                 count(*) FILTER (WHERE status IN ('active', 'trialing', 'past_due'))::int AS active
          FROM subscriptions WHERE stripe_subscription_id IS NOT NULL`,
    ),
    queryRows<{ day: string; cents: string | number }>(
      db,
      sql`SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(sum(p.amount_cents - p.refunded_cents), 0) AS cents
          FROM generate_series(current_date - 89, current_date, interval '1 day') AS d(day)
          LEFT JOIN payments p ON p.status IN ('succeeded', 'refunded') AND p.paid_at >= d.day AND p.paid_at < d.day + interval '1 day'
          GROUP BY d.day ORDER BY d.day`,
    ),
    queryRows<{ requests: string | number; cents: string | number; waiting: string | number }>(
      db,
      sql`SELECT coalesce(sum(m.quantity) FILTER (WHERE m.status = 'sent' AND m.sent_at >= date_trunc('month', now())), 0) AS requests,
                 coalesce(sum(m.quantity * ${sql.raw(overageCentsPer1kSql("p.plan"))}) FILTER (WHERE m.status = 'sent' AND m.sent_at >= date_trunc('month', now())), 0) / 1000.0 AS cents,
                 coalesce(sum(m.quantity) FILTER (WHERE m.status IN ('pending', 'sending')), 0) AS waiting
          FROM meter_reports m JOIN api_usage_periods p ON p.id = m.usage_period_id
          WHERE m.status IN ('pending', 'sending') OR m.sent_at >= date_trunc('month', now())`,
    ),
  ]);
  const mrrCents = plans.reduce((sum, p) => sum + PLANS[p.plan].priceCents * toNumber(p.n), 0);
  const active = toNumber(churn?.active);
  const canceled = toNumber(churn?.canceled);
  return {
    mrrCents,
    arrCents: mrrCents * 12,
    monthCents: toNumber(month?.cents),
    churn30d: active + canceled === 0 ? 0 : canceled / (active + canceled),
    activeSubscriptions: active,
    daily: daily.map((d) => ({ date: d.day, cents: toNumber(d.cents) })),
    billedUsage: { requests: toNumber(usage?.requests), cents: Math.round(toNumber(usage?.cents)), waiting: toNumber(usage?.waiting) },
  };
}

/**
 * The console's aggregates over the tables the query cache watches are cached (any change of those
 * tables drops them); those counting over a window of time ("last 30 days") per UTC minute as well.
 */
const minute = () => Math.floor(Date.now() / 60_000);

export async function userMetrics() {
  return cached(`admin users ${minute()}`, { tables: ["users"], anyChange: true }, async () => {
    const [row] = await queryRows<{ total: number; active30: number; newWeek: number }>(
      getReadDb(),
      sql`SELECT count(*)::int AS total,
                 count(*) FILTER (WHERE last_seen_at >= now() - interval '30 days')::int AS "active30",
                 count(*) FILTER (WHERE created_at >= now() - interval '7 days')::int AS "newWeek"
          FROM users`,
    );
    return { value: { total: toNumber(row?.total), active30: toNumber(row?.active30), newWeek: toNumber(row?.newWeek) }, tags: [] };
  });
}

/** Contributions per status and the oldest open one (the queue's age is taken per request). */
function contributionCounts() {
  return cached("admin contribution counts", { tables: ["contributions"], anyChange: true }, async () => {
    const db = getReadDb();
    const [byStatus, [queue]] = await Promise.all([
      queryRows<{ status: string; n: number }>(db, sql`SELECT status, count(*)::int AS n FROM contributions GROUP BY status`),
      queryRows<{ oldest: Date | string | null }>(db, sql`SELECT min(created_at) AS oldest FROM contributions WHERE status IN (${sql.raw(sqlLiterals(OPEN_STATUSES))})`),
    ]);
    const byStatusMap = Object.fromEntries(byStatus.map((r) => [r.status, toNumber(r.n)])) as Record<string, number>;
    return { value: { byStatus: byStatusMap, oldest: queue?.oldest ? new Date(queue.oldest).getTime() : null }, tags: [] };
  });
}

export async function verificationMetrics() {
  const [{ byStatus, oldest }, dead] = await Promise.all([
    contributionCounts(),
    // Jobs change all the time and are not watched by the cache: read fresh, from the primary (a job
    // re-queued a moment ago must not show as dead; jobs' writes do not hold reads on the primary).
    queryRows<{ id: string; kind: string; attempts: number; last_error: string | null; updated_at: string }>(
      getDb(),
      sql`SELECT id, kind, attempts, last_error, updated_at::text FROM jobs WHERE status = 'dead' ORDER BY updated_at DESC LIMIT 50`,
    ),
  ]);
  return {
    byStatus,
    queueAgeSeconds: oldest !== null ? Math.max(0, Math.round((Date.now() - oldest) / 1000)) : 0,
    deadJobs: dead,
  };
}

export async function apiMetrics() {
  // Usage rows are bookkeeping that does not hold reads on the primary: read them there.
  const db = getDb();
  const [[totals], top] = await Promise.all([
    queryRows<{ today: string | number; month: string | number }>(
      db,
      sql`SELECT coalesce(sum(request_count) FILTER (WHERE record_date = current_date), 0) AS today,
                 coalesce(sum(request_count), 0) AS month
          FROM usage_records WHERE record_date >= date_trunc('month', current_date)::date`,
    ),
    queryRows<{ address: string; requests: string | number }>(
      db,
      sql`SELECT u.address, sum(r.request_count) AS requests
          FROM usage_records r JOIN users u ON u.id = r.user_id
          WHERE r.record_date >= date_trunc('month', current_date)::date
          GROUP BY u.address ORDER BY requests DESC LIMIT 10`,
    ),
  ]);
  return { today: toNumber(totals?.today), month: toNumber(totals?.month), top: top.map((t) => ({ address: t.address, requests: toNumber(t.requests) })) };
}

export async function rewardMetrics() {
  return cached("admin rewards", { tables: ["rewards"], anyChange: true }, async () => {
    const [row] = await queryRows<{ pending: string | number; distributed: string | number }>(
      getReadDb(),
      sql`SELECT coalesce(sum(amount) FILTER (WHERE status IN ('pending', 'processing')), 0) AS pending,
                 coalesce(sum(amount) FILTER (WHERE status = 'distributed'), 0) AS distributed
          FROM rewards`,
    );
    return { value: { pending: toNumber(row?.pending), distributed: toNumber(row?.distributed) }, tags: [] };
  });
}

export async function heldContributions() {
  return cached("admin held contributions", { tables: ["contributions"], anyChange: true }, async () => ({
    value: await queryRows<{ id: string; title: string; status: string; halt_reason: string | null; updated_at: string }>(
      getReadDb(),
      sql`SELECT id, title, status::text, halt_reason, updated_at::text FROM contributions
          WHERE status IN (${sql.raw(sqlLiterals(HELD_STATUSES))}) ORDER BY updated_at DESC LIMIT 50`,
    ),
    tags: [],
  }));
}
