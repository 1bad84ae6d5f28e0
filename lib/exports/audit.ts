import "server-only";

import { desc, eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";

import type { ExportFilters } from "./rows";

export const EXPORT_ACTION = "export";

export interface ExportAuditInput {
  actorId: string;
  /** The dataset, or "own-data" for a user's download of their own data. */
  dataset: string;
  format: string;
  filters: ExportFilters;
}

const filterDetails = (f: ExportFilters) => ({ from: f.from?.toISOString() ?? null, to: f.to?.toISOString() ?? null, status: f.status ?? null });

/**
 * Written before the first byte goes out, so every export is on record (who, what, when) even if the
 * download is cut; `finishExportAudit` adds how many rows went out and whether it ran to the end.
 */
export async function startExportAudit(input: ExportAuditInput): Promise<string> {
  const [row] = await getDb()
    .insert(auditLog)
    .values({
      actorId: input.actorId,
      entityType: "export",
      entityId: input.dataset,
      action: EXPORT_ACTION,
      details: { dataset: input.dataset, format: input.format, filters: filterDetails(input.filters), rows: null, completed: false },
    })
    .returning({ id: auditLog.id });
  return row!.id;
}

export async function finishExportAudit(id: string, rows: number, completed: boolean): Promise<void> {
  await getDb()
    .update(auditLog)
    .set({ details: sql`${auditLog.details} || ${JSON.stringify({ rows, completed })}::jsonb` })
    .where(eq(auditLog.id, id));
}

export interface ExportAuditEntry {
  id: string;
  actor: string | null;
  dataset: string;
  format: string;
  filters: { from: string | null; to: string | null; status: string | null };
  rows: number | null;
  completed: boolean;
  createdAt: Date;
}

/** The latest exports, newest first (admins' dashboard). */
export async function recentExports(limit = 20): Promise<ExportAuditEntry[]> {
  const rows = await getDb()
    .select({ id: auditLog.id, actor: users.address, details: auditLog.details, createdAt: auditLog.createdAt })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.action, EXPORT_ACTION))
    .orderBy(desc(auditLog.createdAt))
    .limit(limit);
  return rows.map((r) => {
    const d = r.details as { dataset?: string; format?: string; filters?: ExportAuditEntry["filters"]; rows?: number | null; completed?: boolean };
    return {
      id: r.id,
      actor: r.actor,
      dataset: d.dataset ?? "",
      format: d.format ?? "",
      filters: d.filters ?? { from: null, to: null, status: null },
      rows: d.rows ?? null,
      completed: d.completed === true,
      createdAt: r.createdAt,
    };
  });
}
