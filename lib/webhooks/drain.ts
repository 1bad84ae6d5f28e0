import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { log } from "@/lib/log";
import { recordEvent } from "@/lib/outbox/record";

import { WEBHOOK_DRAIN_JOB } from "./drain-job";
import { ownerRunsSql } from "./endpoints";
import { sendDelivery, type SendOutcome } from "./send";
import { signDelivery } from "./signing";

/** A delivery is retried for this long after its first attempt, then marked failed. */
export const RETRY_HOURS = 24;
/** An endpoint failing without a success for this long is disabled (and its owner told). */
export const DISABLE_AFTER_HOURS = 24;
/** Undelivered events wait this long in the outbox (for an endpoint switched back on), then expire. */
export const RETENTION_HOURS = 72;
/** Deliveries sent per claim of the endpoint before it is released (others' turn), then claimed again. */
const BATCH = 50;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 60 * 60_000;

/** Exponential backoff with ±20 % jitter: 5 s, 10 s, 20 s … capped at an hour. */
export function webhookBackoffMs(failures: number): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

type Endpoint = typeof webhookEndpoints.$inferSelect & { runs: boolean };

/**
 * Takes the endpoint for one run (so its deliveries go out in order, one at a time), unless another
 * run holds it, it is disabled, or it is resting after a failure (a job is queued for then).
 */
async function claim(endpointId: string): Promise<Endpoint | null> {
  const leaseMs = getEnv().WEBHOOK_TIMEOUT_MS * 2 + 30_000;
  const [row] = await queryRows<{ id: string; runs: boolean }>(
    getDb(),
    sql`UPDATE webhook_endpoints w SET draining_until = now() + make_interval(secs => ${leaseMs / 1000})
        FROM users u
        WHERE w.id = ${endpointId} AND u.id = w.user_id AND w.status = 'active'
          AND (w.draining_until IS NULL OR w.draining_until < now()) AND (w.retry_at IS NULL OR w.retry_at <= now())
        RETURNING w.id, ${ownerRunsSql} AS runs`,
  );
  if (!row) return null;
  const [endpoint] = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
  return endpoint ? { ...endpoint, runs: row.runs } : null;
}

const release = (endpointId: string) => getDb().update(webhookEndpoints).set({ drainingUntil: null }).where(eq(webhookEndpoints.id, endpointId));

interface Due {
  id: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  event_at: Date;
  attempts: number;
  expired: boolean;
}

/** The endpoint's oldest due delivery (created_at is the event's time: the order events happened in). */
async function nextDue(endpointId: string): Promise<Due | undefined> {
  const [row] = await queryRows<Due>(
    getDb(),
    sql`SELECT d.id, d.event_id, e.type, e.data, e.created_at AS event_at, d.attempts,
               d.created_at < now() - make_interval(hours => ${RETENTION_HOURS}) AS expired
        FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.endpoint_id = ${endpointId} AND d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.created_at, d.id LIMIT 1`,
  );
  return row && { ...row, event_at: new Date(row.event_at) };
}

const hasDue = async (endpointId: string) => !!(await nextDue(endpointId));

/** The Standard Webhooks body: `type`, `timestamp` (the event's), `data`. */
export const deliveryBody = (d: Pick<Due, "type" | "data" | "event_at">) => JSON.stringify({ type: d.type, timestamp: d.event_at.toISOString(), data: d.data });

export function secretsOf(e: Pick<Endpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">, now = new Date()): string[] {
  return e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now ? [e.secret, e.previousSecret] : [e.secret];
}

/**
 * The webhook worker's job: while the endpoint has due deliveries, claim it and send them oldest
 * first. A receiver that is down rests the whole endpoint (exponential backoff) so later events
 * do not overtake earlier ones; a 4xx for one message retries that message alone.
 */
export const webhookDrainJob = WEBHOOK_DRAIN_JOB.handler(async ({ endpointId }, { signal }) => {
  for (;;) {
    const endpoint = await claim(endpointId);
    if (!endpoint) return;
    let stop = false;
    try {
      stop = !endpoint.runs || (await drainBatch(endpoint, signal));
    } finally {
      await release(endpointId);
    }
    if (stop || signal.aborted || !(await hasDue(endpointId))) return;
  }
});

/** Sends up to BATCH deliveries; true when the endpoint must rest (it failed) or is gone. */
async function drainBatch(endpoint: Endpoint, signal: AbortSignal): Promise<boolean> {
  for (let i = 0; i < BATCH && !signal.aborted; i++) {
    const due = await nextDue(endpoint.id);
    if (!due) return false;
    if (due.expired) {
      await getDb().update(webhookDeliveries).set({ status: "expired", error: `not delivered within ${RETENTION_HOURS} h` }).where(eq(webhookDeliveries.id, due.id));
      continue;
    }
    const body = deliveryBody(due);
    const headers = signDelivery({ id: due.event_id, at: new Date(), payload: body, secrets: secretsOf(endpoint) });
    const outcome = await sendDelivery({ url: new URL(endpoint.url), headers: { ...headers }, body, timeoutMs: getEnv().WEBHOOK_TIMEOUT_MS });
    if (await record(endpoint, due, outcome)) return true;
  }
  return false;
}

/** Writes the attempt; true when the endpoint now rests (or was disabled). */
async function record(endpoint: Endpoint, due: Due, outcome: SendOutcome): Promise<boolean> {
  const attempt = { attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: sql`now()`, responseStatus: outcome.status, latencyMs: outcome.latencyMs };
  if (outcome.ok) {
    // The endpoint's row first, as its deletion locks it (then its deliveries): one lock order, no deadlock.
    await getDb().transaction(async (tx) => {
      await tx.update(webhookEndpoints).set({ failingSince: null, consecutiveFailures: 0, retryAt: null }).where(eq(webhookEndpoints.id, endpoint.id));
      await tx.update(webhookDeliveries).set({ ...attempt, status: "succeeded", error: null, deliveredAt: sql`now()` }).where(eq(webhookDeliveries.id, due.id));
    });
    return false;
  }
  const error = outcome.error.slice(0, 500);
  if (outcome.blame === "message") {
    const retryMs = webhookBackoffMs(due.attempts + 1);
    await getDb().transaction(async (tx) => {
      const [row] = await tx
        .update(webhookDeliveries)
        .set({
          ...attempt,
          error,
          // Given up once its retries have run RETRY_HOURS past the event.
          status: sql`CASE WHEN ${webhookDeliveries.createdAt} < now() - make_interval(hours => ${RETRY_HOURS}) THEN 'failed'::webhook_delivery_status ELSE 'pending'::webhook_delivery_status END`,
          nextAttemptAt: sql`now() + make_interval(secs => ${retryMs / 1000})`,
        })
        .where(eq(webhookDeliveries.id, due.id))
        .returning({ status: webhookDeliveries.status, nextAttemptAt: webhookDeliveries.nextAttemptAt });
      if (row?.status === "pending") await WEBHOOK_DRAIN_JOB.enqueue(tx, { endpointId: endpoint.id }, { runAt: row.nextAttemptAt });
    });
    return false;
  }
  return restEndpoint(endpoint, due, attempt, error);
}

/** The receiver is not taking deliveries: rest the endpoint with backoff, or disable it after DISABLE_AFTER_HOURS of failures. */
async function restEndpoint(endpoint: Endpoint, due: Due, attempt: Record<string, unknown>, error: string): Promise<true> {
  const failures = endpoint.consecutiveFailures + 1;
  const retryMs = webhookBackoffMs(failures);
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        consecutiveFailures: failures,
        failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())`,
        retryAt: sql`now() + make_interval(secs => ${retryMs / 1000})`,
        status: sql`CASE WHEN coalesce(${webhookEndpoints.failingSince}, now()) <= now() - make_interval(hours => ${DISABLE_AFTER_HOURS}) THEN 'disabled'::webhook_endpoint_status ELSE ${webhookEndpoints.status} END`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, "active")))
      .returning({ status: webhookEndpoints.status, retryAt: webhookEndpoints.retryAt });
    await tx.update(webhookDeliveries).set({ ...attempt, error }).where(eq(webhookDeliveries.id, due.id));
    if (row?.status === "disabled") {
      const reason = `failing for ${DISABLE_AFTER_HOURS} h without a success (last: ${error})`;
      await tx.update(webhookEndpoints).set({ disabledReason: reason.slice(0, 500) }).where(eq(webhookEndpoints.id, endpoint.id));
      await recordEvent(tx, {
        type: "webhook.disabled",
        audience: [endpoint.userId],
        data: { endpoint_id: endpoint.id, url: endpoint.url, reason, disabled_at: new Date().toISOString() },
      });
      log.warn("webhook endpoint disabled", { endpointId: endpoint.id, error });
    } else if (row) {
      await WEBHOOK_DRAIN_JOB.enqueue(tx, { endpointId: endpoint.id }, { runAt: row.retryAt! });
    }
  });
  return true;
}
