import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";

import { getDb, queryRows, type Tx } from "@/db/client";
import { jobKind } from "@/lib/jobs/kind";

import { RETENTION_HOURS } from "./drain";

/** A finished delivery stays in its endpoint's log this long. */
export const DELIVERY_LOG_DAYS = 30;
const DAY_MS = 86_400_000;
const BATCH = 5_000;

/** Daily: undelivered events past the outbox's 72 h expire; finished deliveries past 30 days leave the log. One job per UTC day. */
export const WEBHOOK_RETENTION_JOB = jobKind("webhook-retention", z.object({ day: z.iso.date() }));

export async function scheduleWebhookRetention(tx: Tx, after = new Date()): Promise<void> {
  const next = new Date(Math.floor(after.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const day = next.toISOString().slice(0, 10);
  await WEBHOOK_RETENTION_JOB.enqueue(tx, { day }, { dedupeKey: `webhook-retention:${day}`, runAt: new Date(next.getTime() + 20 * 60_000) });
}

/** Runs in batches of BATCH rows, each its own short statement (the embedded database has one connection). */
export async function applyWebhookRetention(): Promise<{ expired: number; removed: number }> {
  const db = getDb();
  let expired = 0;
  let removed = 0;
  for (;;) {
    const rows = await queryRows<{ id: string }>(db, sql`
      UPDATE webhook_deliveries SET status = 'expired', error = ${`not delivered within ${RETENTION_HOURS} h`}
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND created_at < now() - make_interval(hours => ${RETENTION_HOURS}) LIMIT ${BATCH})
      RETURNING id`);
    const n = rows.length;
    expired += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const rows = await queryRows<{ id: string }>(db, sql`
      DELETE FROM webhook_deliveries
      WHERE id IN (SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(days => ${DELIVERY_LOG_DAYS}) LIMIT ${BATCH})
      RETURNING id`);
    const n = rows.length;
    removed += n;
    if (n < BATCH) break;
  }
  return { expired, removed };
}

export const webhookRetentionJob = WEBHOOK_RETENTION_JOB.handler(async ({ day }) => {
  await applyWebhookRetention();
  await getDb().transaction((tx) => scheduleWebhookRetention(tx, new Date(Date.parse(`${day}T00:00:00Z`))));
});
