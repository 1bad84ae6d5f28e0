import "server-only";

import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";

import { getDb, queryRows, type Tx } from "@/db/client";
import { getEnv } from "@/lib/config/env";
import { CircuitBreaker } from "@/lib/http/circuit-breaker";
import { jobKind } from "@/lib/jobs/kind";
import { log } from "@/lib/log";

import { METER_EVENT_NAME } from "./metering";
import { getStripe } from "./stripe";

/**
 * Reporting requests beyond the included ones to Stripe's meter, exactly once per identifier:
 * a periodic job moves each period's unreported overage into the meter_reports outbox (one statement:
 * the row and the period's `reported` move together), then sends what is pending. A crash between
 * Stripe's answer and our write leaves the row leased; it is sent again with the same identifier,
 * which Stripe refuses as a duplicate — and that refusal proves it arrived. Stripe keeps identifiers
 * only "within a rolling period of at least 24 hours": a row still unsent after DEDUP_TRUST_HOURS is
 * first looked up in the meter's totals, and sent again only if they lack it.
 */
const DEDUP_TRUST_HOURS = 23;
/** Stripe counts usage of a period that arrives within this grace after its end on that period's invoice. */
const GRACE_MS = 60 * 60_000;
const BATCH = 50;
const LEASE_SECONDS = 120;

export const METER_REPORT_JOB = jobKind("meter-report", z.object({ slot: z.iso.datetime() }));

/** The next report run, one per METER_REPORT_SECONDS slot (deduplicated: every instance may schedule it). */
export async function scheduleMeterReport(tx: Tx, after = new Date()): Promise<void> {
  const every = getEnv().METER_REPORT_SECONDS * 1000;
  const next = new Date(Math.floor(after.getTime() / every) * every + every);
  const slot = next.toISOString();
  await METER_REPORT_JOB.enqueue(tx, { slot }, { dedupeKey: `meter-report:${slot}`, runAt: next });
}

export const meterReportJob = METER_REPORT_JOB.handler(async ({ slot }) => {
  await allocateMeterReports();
  await sendMeterReports();
  await getDb().transaction((tx) => scheduleMeterReport(tx, new Date(Date.parse(slot))));
});

/**
 * Moves every period's overage not yet reported into the outbox, in one statement: the period rows
 * are locked (SKIP LOCKED: a request counting on one is caught next run), a row per period is written
 * with the identifier of the overage requests it covers, and `reported` moves by the same amount.
 * Usage reported after its period's grace goes on the next invoice (stamped now, `carried_over`).
 */
export async function allocateMeterReports(): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    getDb(),
    sql`
      WITH due AS (
        SELECT p.id, p.user_id, u.stripe_customer_id, p.period_end, p.reported, p.requests - p.included - p.reported AS quantity
        FROM api_usage_periods p JOIN users u ON u.id = p.user_id
        WHERE p.requests > p.included + p.reported AND u.stripe_customer_id IS NOT NULL
        ORDER BY p.updated_at LIMIT 500
        FOR UPDATE OF p SKIP LOCKED),
      written AS (
        INSERT INTO meter_reports (usage_period_id, user_id, stripe_customer_id, identifier, quantity, event_at, carried_over)
        SELECT id, user_id, stripe_customer_id, 'nwu-overage:' || id || ':' || (reported + 1) || '-' || (reported + quantity), quantity,
          CASE WHEN now() < period_end + make_interval(secs => ${GRACE_MS / 1000}) THEN least(now(), period_end - interval '1 second') ELSE now() END,
          now() >= period_end + make_interval(secs => ${GRACE_MS / 1000})
        FROM due
        RETURNING usage_period_id, quantity)
      UPDATE api_usage_periods p SET reported = p.reported + w.quantity FROM written w WHERE p.id = w.usage_period_id
      RETURNING p.id`,
  );
  return rows.length;
}

interface Claimed {
  id: string;
  identifier: string;
  stripe_customer_id: string;
  quantity: number;
  event_at: string;
  attempts: number;
  stale: boolean;
}

/** Sends the pending rows, a leased batch at a time, until none is due. */
export async function sendMeterReports(): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const batch = await claim();
    for (const row of batch) {
      const outcome = await deliver(row);
      if (outcome === "sent") sent++;
      else if (outcome === "failed") failed++;
    }
    if (batch.length < BATCH) return { sent, failed };
  }
}

function claim(): Promise<Claimed[]> {
  return queryRows<Claimed>(
    getDb(),
    sql`
      UPDATE meter_reports m SET status = 'sending', lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = m.attempts + 1
      WHERE m.id IN (
        SELECT id FROM meter_reports
        WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
        ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.identifier, m.stripe_customer_id, m.quantity, to_json(m.event_at) #>> '{}' AS event_at, m.attempts,
        m.created_at < now() - make_interval(hours => ${DEDUP_TRUST_HOURS}) AS stale`,
  );
}

const breaker = new CircuitBreaker("Stripe meter events", { failureThreshold: 5, get cooldownMs() { return getEnv().CIRCUIT_COOLDOWN_MS; } });

const DUPLICATE = /already exists with identifier/i;

async function deliver(row: Claimed): Promise<"sent" | "retry" | "failed"> {
  const stripe = getStripe();
  const timestamp = Math.floor(Date.parse(row.event_at) / 1000);
  try {
    // Past Stripe's deduplication window a resend would count twice: look it up first.
    if (row.stale && (await meterHolds(stripe, row, timestamp))) return await finish(row.id, "sent", null, true);
    await breaker.run(() =>
      stripe.billing.meterEvents.create(
        { event_name: METER_EVENT_NAME, identifier: row.identifier, timestamp, payload: { stripe_customer_id: row.stripe_customer_id, value: String(row.quantity) } },
        { idempotencyKey: row.identifier },
      ),
    );
    return await finish(row.id, "sent", null, row.stale);
  } catch (error) {
    const e = error as { statusCode?: number; message?: string };
    if (e.statusCode === 400 && DUPLICATE.test(e.message ?? "")) return await finish(row.id, "sent", null, row.stale);
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 429 && e.statusCode !== 409) {
      log.error("meter event refused by Stripe", { identifier: row.identifier, reason: e.message });
      return await finish(row.id, "failed", e.message ?? "refused", false);
    }
    const backoffSeconds = Math.min(3600, 5 * 2 ** Math.min(row.attempts, 10));
    await queryRows(
      getDb(),
      sql`UPDATE meter_reports SET status = 'pending', lease_until = NULL, last_error = ${e.message ?? String(error)},
            next_attempt_at = now() + make_interval(secs => ${backoffSeconds}) WHERE id = ${row.id}::uuid RETURNING id`,
    );
    return "retry";
  }
}

async function finish(id: string, status: "sent" | "failed", error: string | null, reconciled: boolean): Promise<"sent" | "failed"> {
  await queryRows(
    getDb(),
    sql`UPDATE meter_reports SET status = ${status}::meter_report_status, lease_until = NULL, last_error = ${error}, reconciled = ${reconciled},
          sent_at = CASE WHEN ${status} = 'sent' THEN now() END WHERE id = ${id}::uuid RETURNING id`,
  );
  return status;
}

/**
 * Whether the meter already holds this row: Stripe's total for the customer over the minute of its
 * timestamp (summaries are minute-aligned) against what we know we sent in that minute.
 */
async function meterHolds(stripe: Stripe, row: Claimed, timestamp: number): Promise<boolean> {
  const start = Math.floor(timestamp / 60) * 60;
  const meter = await meterId(stripe);
  const summaries = await breaker.run(() => stripe.billing.meters.listEventSummaries(meter, { customer: row.stripe_customer_id, start_time: start, end_time: start + 60 }));
  const total = summaries.data.reduce((sum, s) => sum + s.aggregated_value, 0);
  const [known] = await queryRows<{ n: number }>(
    getDb(),
    sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM meter_reports
        WHERE stripe_customer_id = ${row.stripe_customer_id} AND status = 'sent' AND id <> ${row.id}::uuid
          AND event_at >= to_timestamp(${start}) AND event_at < to_timestamp(${start + 60})`,
  );
  return total >= Number(known?.n ?? 0) + row.quantity;
}

let meterCache: string | undefined;

async function meterId(stripe: Stripe): Promise<string> {
  if (meterCache) return meterCache;
  for await (const m of stripe.billing.meters.list({ status: "active", limit: 100 })) {
    if (m.event_name === METER_EVENT_NAME) return (meterCache = m.id);
  }
  throw new Error(`No active Stripe meter for ${METER_EVENT_NAME}: run npm run stripe:setup`);
}
