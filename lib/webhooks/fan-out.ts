import "server-only";

import { sql, type SQL } from "drizzle-orm";

import { queryRows, type Tx } from "@/db/client";

import { WEBHOOK_DRAIN_JOB } from "./drain-job";
import { ownerRunsSql } from "./endpoints";

/**
 * One delivery per (event, endpoint that takes it): the endpoint subscribes to the type and either
 * belongs to someone in the event's audience or is an admin's platform-wide one; a free plan's
 * endpoints (paused) get none. Disabled endpoints get theirs too: they wait in the outbox until it
 * is switched back on. Idempotent (unique per endpoint and event), so a re-run fan-out adds nothing.
 */
export async function fanOutToEndpoints(tx: Tx, eventIds: string[]): Promise<number> {
  const ids = sql`${sql.raw("ARRAY[")}${sql.join(eventIds.map((id) => sql`${id}::uuid`), sql`, `)}${sql.raw("]")}`;
  const rows = await queryRows<{ endpoint_id: string; status: string }>(
    tx,
    sql`
      INSERT INTO webhook_deliveries (endpoint_id, event_id, created_at, next_attempt_at)
      SELECT w.id, e.id, e.created_at, now()
      FROM events e
      JOIN webhook_endpoints w ON e.type = ANY(w.event_types)
      JOIN users u ON u.id = w.user_id
      WHERE e.id = ANY(${ids})
        AND (w.user_id = ANY(e.audience) OR (w.platform AND 'admin' = ANY(u.roles)))
        AND ${ownerRunsSql}
      ON CONFLICT (endpoint_id, event_id) DO NOTHING
      RETURNING endpoint_id, (SELECT status::text FROM webhook_endpoints WHERE id = endpoint_id) AS status`,
  );
  const active = new Set(rows.filter((r) => r.status === "active").map((r) => r.endpoint_id));
  for (const endpointId of await resumedByPlanChange(tx, ids)) active.add(endpointId);
  for (const endpointId of active) await WEBHOOK_DRAIN_JOB.enqueue(tx, { endpointId });
  return rows.length;
}

/**
 * A subscription change may end a pause: the owner's active endpoints that run again and still hold
 * deliveries from before the pause get a drain now, not only with their next event.
 */
async function resumedByPlanChange(tx: Tx, ids: SQL): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`
      SELECT DISTINCT w.id
      FROM events e
      JOIN webhook_endpoints w ON w.user_id = ANY(e.audience)
      JOIN users u ON u.id = w.user_id
      WHERE e.id = ANY(${ids}) AND e.type = 'subscription.updated' AND w.status = 'active' AND ${ownerRunsSql}
        AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.status = 'pending')`,
  );
  return rows.map((r) => r.id);
}
