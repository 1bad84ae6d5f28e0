import "server-only";

import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

import { queryRows, type Db, type Tx } from "@/db/client";
import type { Plan, subscriptionStatus } from "@/db/schema";
import { sqlLiterals } from "@/db/vocabulary";

import { PLANS } from "./plans";

/** Subscription statuses whose plan a user's requests run on. */
export const LIVE_SUBSCRIPTION_STATUSES_SQL = sql.raw(sqlLiterals(["active", "trialing", "past_due"] satisfies (typeof subscriptionStatus.enumValues)[number][]));

/** `CASE <plan> … END`: a plan's rank in PLANS' order (free lowest), to pick a user's best plan. */
export const planRank = (plan: SQL | SQLWrapper) =>
  sql`CASE ${plan} ${sql.raw(
    Object.keys(PLANS)
      .map((p, i) => `WHEN '${p}' THEN ${i}`)
      .join(" "),
  )} END`;

/** The plan a user's requests run on: their best live subscription, free without one. */
export const currentPlanSql = (userId: unknown) => sql`(
  SELECT s.plan FROM subscriptions s
  WHERE s.user_id = ${userId} AND s.status IN (${LIVE_SUBSCRIPTION_STATUSES_SQL})
  ORDER BY ${planRank(sql.raw("s.plan"))} DESC LIMIT 1)`;

export async function currentPlan(db: Db | Tx, userId: string): Promise<Plan> {
  const [row] = await queryRows<{ plan: Plan | null }>(db, sql`SELECT ${currentPlanSql(userId)} AS plan`);
  return row?.plan ?? "free";
}
