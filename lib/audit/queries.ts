import "server-only";

import { and, asc, eq, inArray, sql } from "drizzle-orm";

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

/** A ballot's audit entries: kept with their actor for admins' audit, shown on timelines without it. */
export const BALLOT_ACTIONS = { vote: "contribution.vote", decide: "contribution.decide", abstain: "contribution.abstain" } as const;
export const CREATE_ACTION = "contribution.create";

/**
 * Status history of one entity, oldest first (bounded: a timeline is short by nature). Ballot
 * entries never name their voter: who voted is revealed with the votes, at the decision.
 */
export async function entityTimeline(entityType: string, entityId: string, limit = 100): Promise<TimelineEntry[]> {
  return getDb()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      fromStatus: auditLog.fromStatus,
      toStatus: auditLog.toStatus,
      reason: auditLog.reason,
      // An upload is shown as its contribution's owner's (a calibration item's is the platform account's).
      actor: sql<string | null>`CASE WHEN ${inArray(auditLog.action, Object.values(BALLOT_ACTIONS))} THEN NULL
        WHEN ${auditLog.action} = ${CREATE_ACTION} THEN (SELECT o.address FROM contributions c JOIN users o ON o.id = c.user_id WHERE c.id = ${auditLog.entityId}::uuid)
        ELSE ${users.address} END`,
      actorKind: auditLog.actorKind,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.createdAt))
    .limit(limit);
}
