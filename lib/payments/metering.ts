import "server-only";

import { and, eq } from "drizzle-orm";

import { getDb } from "@/db/client";
import { apiUsagePeriods, subscriptions, type Plan } from "@/db/schema";
import { getEnv } from "@/lib/config/env";

import { PLANS } from "./plans";

/** The requests a plan includes per billing period: the plan's own, or BILLING_INCLUDED_REQUESTS (a test setting) for every paid plan. */
export function includedRequests(plan: Plan): number {
  const spec = PLANS[plan];
  if (spec.overageCentsPer1k === null) return spec.includedRequests;
  return getEnv().BILLING_INCLUDED_REQUESTS ?? spec.includedRequests;
}

/** The event name of the Stripe meter that bills requests beyond the included ones. */
export const METER_EVENT_NAME = "nwu_api_requests";

export interface PeriodUsage {
  periodStart: Date;
  periodEnd: Date;
  requests: number;
  included: number;
  /** Requests beyond the included ones so far (what the meter bills). */
  billed: number;
  billedCents: number;
  /** At the pace so far: the period's billed requests and their price (the plan's cap applied). */
  projectedBilled: number;
  projectedOverageCents: number;
}

/** What `requests` beyond the included ones bill on `plan`, in whole cents. */
const overageCents = (plan: Plan, requests: number) => Math.round((requests * (PLANS[plan].overageCentsPer1k ?? 0)) / 1000);

/** The live subscription's current-period usage (one statement), or null when it has no period yet. */
export async function periodUsage(subscriptionId: string, plan: Plan, now = new Date()): Promise<PeriodUsage | null> {
  const [row] = await getDb()
    .select({ start: subscriptions.currentPeriodStart, end: subscriptions.currentPeriodEnd, requests: apiUsagePeriods.requests, included: apiUsagePeriods.included })
    .from(subscriptions)
    .leftJoin(apiUsagePeriods, and(eq(apiUsagePeriods.subscriptionId, subscriptions.id), eq(apiUsagePeriods.periodStart, subscriptions.currentPeriodStart)))
    .where(eq(subscriptions.id, subscriptionId));
  if (!row?.start || !row.end) return null;
  const spec = PLANS[plan];
  const requests = row.requests ?? 0;
  const included = row.included ?? includedRequests(plan);
  const elapsed = Math.max(1, now.getTime() - row.start.getTime());
  const pace = requests * Math.max(1, (row.end.getTime() - row.start.getTime()) / elapsed);
  const projectedRequests = Math.min(spec.periodCap ?? Number.POSITIVE_INFINITY, Math.round(pace));
  const projectedBilled = Math.max(0, projectedRequests - included);
  return {
    periodStart: row.start,
    periodEnd: row.end,
    requests,
    included,
    billed: Math.max(0, requests - included),
    billedCents: overageCents(plan, Math.max(0, requests - included)),
    projectedBilled,
    projectedOverageCents: overageCents(plan, projectedBilled),
  };
}
