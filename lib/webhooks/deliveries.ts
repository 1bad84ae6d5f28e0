import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { events, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { WebhookDeliveryStatus } from "@/db/vocabulary";
import { NotFoundError } from "@/lib/errors";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import { WEBHOOK_DRAIN_JOB } from "./drain-job";
import { ownEndpoint } from "./endpoints";

export interface PublicDelivery {
  id: string;
  /** The event's id: the `webhook-id` header, the same on every attempt (receivers deduplicate on it). */
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** The endpoint's delivery log, newest event first. */
export async function listDeliveries(userId: string, endpointId: string, options: { limit: number; cursor?: Cursor; status?: WebhookDeliveryStatus }): Promise<Page<PublicDelivery>> {
  await ownEndpoint(userId, endpointId);
  const order = keyset(webhookDeliveries.createdAt, webhookDeliveries.id, options.cursor);
  const rows = await getDb()
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: events.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      latencyMs: webhookDeliveries.latencyMs,
      error: webhookDeliveries.error,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      cursorAt: cursorText(webhookDeliveries.createdAt),
    })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), options.status ? eq(webhookDeliveries.status, options.status) : undefined, order.where))
    .orderBy(order.orderBy)
    .limit(options.limit + 1);
  return toPage(rows, options.limit, ({ cursorAt: _c, ...r }) => ({ ...r, nextAttemptAt: r.status === "pending" ? r.nextAttemptAt : null }), options.cursor);
}

/** "Send again": the delivery goes out once more (same webhook-id), now, whatever became of it. */
export async function resendDelivery(userId: string, endpointId: string, deliveryId: string): Promise<void> {
  await ownEndpoint(userId, endpointId);
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()` })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
      .returning({ id: webhookDeliveries.id });
    if (!row) throw new NotFoundError("No delivery with this id for this endpoint");
    // Asked for now: an endpoint resting after failures is tried at once.
    await tx.update(webhookEndpoints).set({ retryAt: null }).where(eq(webhookEndpoints.id, endpointId));
    await WEBHOOK_DRAIN_JOB.enqueue(tx, { endpointId });
  });
}
