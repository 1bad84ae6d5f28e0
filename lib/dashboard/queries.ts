import "server-only";

import { sql } from "drizzle-orm";

import { getDb, getReadDb, queryRows } from "@/db/client";
import { toNumber } from "@/db/numeric";

export interface WeekBucket {
  week: string;
  counts: Record<string, number>;
}

const WEEKS = 26;

/** Contributions per week by status for the last 26 weeks (weeks without any shown as zero). */
export async function weeklyContributions(userId: string): Promise<WeekBucket[]> {
  const rows = await queryRows<{ week: string; status: string; n: number }>(
    getReadDb(),
    sql`SELECT to_char(date_trunc('week', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, status, count(*)::int AS n
        FROM contributions
        WHERE user_id = ${userId} AND created_at >= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '${sql.raw(String(WEEKS - 1))} weeks'
        GROUP BY 1, 2`,
  );
  const byWeek = new Map<string, Record<string, number>>();
  for (const r of rows) (byWeek.get(r.week) ?? byWeek.set(r.week, {}).get(r.week)!)[r.status] = toNumber(r.n);
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return Array.from({ length: WEEKS }, (_, i) => {
    const d = new Date(monday.getTime() - (WEEKS - 1 - i) * 7 * 86_400_000);
    const week = d.toISOString().slice(0, 10);
    return { week, counts: byWeek.get(week) ?? {} };
  });
}

/** How many of the user's scored contributions fall in each 10-point quality band (0–9 … 90–100). */
export async function qualityDistribution(userId: string): Promise<number[]> {
  const rows = await queryRows<{ bucket: number; n: number }>(
    getReadDb(),
    sql`SELECT least(width_bucket(quality_score, 0, 100, 10), 10)::int AS bucket, count(*)::int AS n
        FROM contributions WHERE user_id = ${userId} AND quality_score IS NOT NULL GROUP BY 1`,
  );
  const out = Array.from({ length: 10 }, () => 0);
  for (const r of rows) out[Math.max(1, toNumber(r.bucket)) - 1] = toNumber(r.n);
  return out;
}

export interface ApiUsage {
  today: number;
  month: number;
  days: { date: string; requests: number }[];
}

/** API calls of the user's keys: today, this month, and per day for the last 30 days. One statement. */
export async function apiUsage(userId: string): Promise<ApiUsage> {
  // Usage rows are bookkeeping that does not hold reads on the primary: read them there.
  const rows = await queryRows<{ day: string; n: string | number }>(
    getDb(),
    sql`SELECT to_char(record_date, 'YYYY-MM-DD') AS day, sum(request_count) AS n
        FROM usage_records
        WHERE user_id = ${userId} AND record_date >= least(date_trunc('month', current_date)::date, current_date - 29)
        GROUP BY 1`,
  );
  const byDay = new Map(rows.map((r) => [r.day, toNumber(r.n)]));
  const today = new Date().toISOString().slice(0, 10);
  const month = today.slice(0, 7);
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(Date.now() - (29 - i) * 86_400_000).toISOString().slice(0, 10);
    return { date, requests: byDay.get(date) ?? 0 };
  });
  let monthTotal = 0;
  for (const [day, n] of byDay) if (day.startsWith(month)) monthTotal += n;
  return { today: byDay.get(today) ?? 0, month: monthTotal, days };
}
