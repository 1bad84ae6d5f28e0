import "server-only";

import { and, asc, eq } from "drizzle-orm";

import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";

export interface TimelineEntry {
  id: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  actor: string | null;
  actorKind: string;
  createdAt: Date;
}

/** Status history of one entity, oldest first (bounded: a timeline is short by nature). */
export async function entityTimeline(entityType: string, entityId: string, limit = 100): Promise<TimelineEntry[]> {
  return getDb()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      fromStatus: auditLog.fromStatus,
      toStatus: auditLog.toStatus,
      reason: auditLog.reason,
      actor: users.address,
      actorKind: auditLog.actorKind,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.createdAt))
    .limit(limit);
}
