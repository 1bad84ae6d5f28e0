import "server-only";

import { randomInt } from "node:crypto";

import { lt, sql } from "drizzle-orm";

import { getDb, queryRowsPrepared } from "@/db/client";
import { apiUsagePeriods, rateLimitBuckets } from "@/db/schema";
import { includedRequests } from "@/lib/payments/metering";
import { BURST_WINDOW_SECONDS, PLANS } from "@/lib/payments/plans";

import type { KeyPrincipal } from "./keys";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the binding window resets. */
  reset: number;
  retryAfter?: number;
  /** Refused because the plan's requests for this billing period are used up (the hard cap). */
  capped?: boolean;
  headers: Record<string, string>;
}

interface Counted {
  kind: "day" | "burst" | "period";
  count: number;
  reset: number;
}

/**
 * Counts this request with ONE atomic statement, timed by the database clock, so every app instance
 * shares the same counters and the same windows: the key's daily and burst windows, and — when they
 * let it through and the owner pays — the subscription's billing-period counter that Stripe is billed
 * from. That counter stops at the plan's cap (the row lock of ON CONFLICT makes the cap exact); a
 * request it refuses is not billed.
 */
/** The billing period this key's requests are billed in: a paid plan's live subscription with a period from Stripe. */
const billedPeriod = (principal: KeyPrincipal) => (PLANS[principal.plan].overageCentsPer1k !== null && principal.subscriptionId ? principal.period : null);

async function count(principal: KeyPrincipal): Promise<Counted[]> {
  const plan = PLANS[principal.plan];
  const billed = billedPeriod(principal);
  return queryRowsPrepared<Counted>(
    sql`
      WITH w AS (
        SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start,
               to_timestamp(floor(extract(epoch FROM now()) / ${BURST_WINDOW_SECONDS}) * ${BURST_WINDOW_SECONDS}) AS burst_start),
      b AS (
        INSERT INTO ${rateLimitBuckets} AS b (key, window_start, count, expires_at)
        SELECT ${`day:${principal.keyId}`}, w.day_start, 1, w.day_start + interval '1 day' FROM w
        UNION ALL
        SELECT ${`burst:${principal.keyId}`}, w.burst_start, 1, w.burst_start + make_interval(secs => ${BURST_WINDOW_SECONDS}) FROM w
        ON CONFLICT (key, window_start) DO UPDATE SET count = b.count + 1
        RETURNING split_part(b.key, ':', 1) AS kind, b.count, ceil(extract(epoch FROM b.expires_at - now()))::int AS reset),
      p AS (
        INSERT INTO ${apiUsagePeriods} AS p (user_id, subscription_id, plan, period_start, period_end, included, requests)
        SELECT ${principal.userId}::uuid, ${principal.subscriptionId}::uuid, ${principal.plan}::plan, ${billed?.start ?? null}::timestamptz,
               ${billed?.end ?? null}::timestamptz, ${includedRequests(principal.plan)}::int, 1
        WHERE ${billed?.start ?? null}::timestamptz IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM b WHERE b.count > CASE b.kind WHEN 'day' THEN ${plan.daily}::int ELSE ${plan.burst}::int END)
        ON CONFLICT (subscription_id, period_start) DO UPDATE SET requests = p.requests + 1, updated_at = now()
          WHERE ${plan.periodCap}::int IS NULL OR p.requests < ${plan.periodCap}::int
        RETURNING p.requests, greatest(1, ceil(extract(epoch FROM p.period_end - now())))::int AS reset)
      SELECT kind, count, reset FROM b
      UNION ALL
      SELECT 'period', requests, reset FROM p`,
  );
}

/** Whether the request may go on, with the RateLimit-* headers (of the key's binding window) to answer with. */
export async function takeRateLimit(principal: KeyPrincipal): Promise<RateDecision> {
  const plan = PLANS[principal.plan];
  const rows = await count(principal);
  // Old windows are swept now and then instead of by a scheduler.
  if (randomInt(200) === 0) void getDb().delete(rateLimitBuckets).where(lt(rateLimitBuckets.expiresAt, sql`now()`)).catch(() => {});
  const day = rows.find((r) => r.kind === "day")!;
  const burst = rows.find((r) => r.kind === "burst")!;
  const dayLeft = plan.daily - Number(day.count);
  const burstLeft = plan.burst - Number(burst.count);
  const binding = dayLeft < 0 || (burstLeft >= 0 && dayLeft <= burstLeft) ? { limit: plan.daily, left: dayLeft, reset: Number(day.reset) } : { limit: plan.burst, left: burstLeft, reset: Number(burst.reset) };
  const windowsAllow = dayLeft >= 0 && burstLeft >= 0;
  const capped = windowsAllow && billedPeriod(principal) !== null && !rows.some((r) => r.kind === "period");
  const allowed = windowsAllow && !capped;
  const retryAfter = allowed ? undefined : capped ? periodReset(principal) : dayLeft < 0 ? Number(day.reset) : Number(burst.reset);
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(binding.limit),
    "RateLimit-Remaining": String(Math.max(0, binding.left)),
    "RateLimit-Reset": String(Math.max(0, binding.reset)),
  };
  if (retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, retryAfter));
  return { allowed, limit: binding.limit, remaining: Math.max(0, binding.left), reset: Math.max(0, binding.reset), retryAfter, capped, headers };
}

/** Seconds until the billing period ends (when the cap lifts), at least 1. */
function periodReset(principal: KeyPrincipal): number {
  const end = principal.period ? Date.parse(principal.period.end) : Number.NaN;
  return Number.isFinite(end) ? Math.max(1, Math.ceil((end - Date.now()) / 1000)) : 60;
}
