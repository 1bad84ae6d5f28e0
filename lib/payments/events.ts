import "server-only";

import { and, desc, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";

export interface UnappliedStripeEvent {
  id: string;
  type: string;
  status: "unmatched" | "ignored";
  objectId: string | null;
  customerId: string | null;
  reason: string | null;
  receivedAt: Date;
}

/**
 * Stripe events the webhook acknowledged without applying (unmatched or ignored), newest first, for
 * admins. The cursor is the last event id shown: its row gives the keyset position exactly (no
 * timestamp round trip), and an id that is not there simply yields an empty page. Served by the
 * partial index stripe_events_unapplied_idx, whose predicate the literal condition below matches.
 */
export async function listUnappliedStripeEvents(input: { cursor?: string; limit: number }): Promise<{ items: UnappliedStripeEvent[]; nextCursor: string | null }> {
  const rows = await getDb()
    .select({
      id: stripeEvents.id,
      type: stripeEvents.type,
      status: stripeEvents.status,
      objectId: stripeEvents.objectId,
      customerId: stripeEvents.customerId,
      reason: stripeEvents.reason,
      receivedAt: stripeEvents.processedAt,
    })
    .from(stripeEvents)
    .where(
      and(
        sql`${stripeEvents.status} <> 'processed'`,
        input.cursor ? sql`(${stripeEvents.processedAt}, ${stripeEvents.id}) < (SELECT e.processed_at, e.id FROM stripe_events e WHERE e.id = ${input.cursor})` : undefined,
      ),
    )
    .orderBy(desc(stripeEvents.processedAt), desc(stripeEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit) as UnappliedStripeEvent[];
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}
