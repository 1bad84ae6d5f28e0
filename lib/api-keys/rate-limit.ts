import "server-only";

import { randomInt } from "node:crypto";

import { lt, sql } from "drizzle-orm";

import { getDb, queryRowsPrepared } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { BURST_WINDOW_SECONDS, PLANS } from "@/lib/payments/plans";

import type { KeyPrincipal } from "./keys";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the binding window resets. */
  reset: number;
  retryAfter?: number;
  headers: Record<string, string>;
}

/**
 * Counts this request in the key's daily and burst windows with ONE atomic upsert, timed by the
 * database clock, so every app instance shares the same counters and the same windows.
 */
export async function takeRateLimit(principal: KeyPrincipal): Promise<RateDecision> {
  const plan = PLANS[principal.plan];
  const rows = await queryRowsPrepared<{ kind: string; count: number; reset: number }>(
    sql`
      WITH w AS (
        SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start,
               to_timestamp(floor(extract(epoch FROM now()) / ${BURST_WINDOW_SECONDS}) * ${BURST_WINDOW_SECONDS}) AS burst_start)
      INSERT INTO ${rateLimitBuckets} AS b (key, window_start, count, expires_at)
      SELECT ${`day:${principal.keyId}`}, w.day_start, 1, w.day_start + interval '1 day' FROM w
      UNION ALL
      SELECT ${`burst:${principal.keyId}`}, w.burst_start, 1, w.burst_start + make_interval(secs => ${BURST_WINDOW_SECONDS}) FROM w
      ON CONFLICT (key, window_start) DO UPDATE SET count = b.count + 1
      RETURNING split_part(b.key, ':', 1) AS kind, b.count, ceil(extract(epoch FROM b.expires_at - now()))::int AS reset`,
  );
  // Old windows are swept now and then instead of by a scheduler.
  if (randomInt(200) === 0) void getDb().delete(rateLimitBuckets).where(lt(rateLimitBuckets.expiresAt, sql`now()`)).catch(() => {});
  const day = rows.find((r) => r.kind === "day")!;
  const burst = rows.find((r) => r.kind === "burst")!;
  const dayLeft = plan.daily - Number(day.count);
  const burstLeft = plan.burst - Number(burst.count);
  const binding = dayLeft < 0 || (burstLeft >= 0 && dayLeft <= burstLeft) ? { limit: plan.daily, left: dayLeft, reset: Number(day.reset) } : { limit: plan.burst, left: burstLeft, reset: Number(burst.reset) };
  const allowed = dayLeft >= 0 && burstLeft >= 0;
  const retryAfter = allowed ? undefined : dayLeft < 0 ? Number(day.reset) : Number(burst.reset);
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(binding.limit),
    "RateLimit-Remaining": String(Math.max(0, binding.left)),
    "RateLimit-Reset": String(Math.max(0, binding.reset)),
  };
  if (retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, retryAfter));
  return { allowed, limit: binding.limit, remaining: Math.max(0, binding.left), reset: Math.max(0, binding.reset), retryAfter, headers };
}
