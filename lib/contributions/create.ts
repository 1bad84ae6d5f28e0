import "server-only";

import { and, asc, eq, ne } from "drizzle-orm";

import { isUniqueViolation } from "@/db/errors";
import { getDb, type Tx } from "@/db/client";
import { auditLog, contributions, type FileType } from "@/db/schema";
import { CREATE_ACTION } from "@/lib/audit/queries";
import { ConflictError } from "@/lib/errors";
import { publishContributionEvent } from "@/lib/events/bus";
import { recordEvent } from "@/lib/outbox/record";
import { PREVIEW_JOB } from "@/lib/previews/stored";
import { VERIFY_JOB } from "@/lib/verification/jobs";


export interface NewContributionInput {
  userId: string;
  cid: string;
  sha256: string;
  size: number;
  fileName: string;
  fileType: FileType;
  mediaType: string;
  title: string;
  description: string;
  metadata: Record<string, unknown>;
}


/**
 * The row, its verification job and its audit entry in one transaction (the pin is taken before,
 * and undone by the caller if this throws). The same bytes twice from one user → 409 with the
 * existing id; the same bytes from another user → accepted, marked duplicate_of the earliest copy.
 */
export async function createContribution(
  input: NewContributionInput,
  /** More writes that stand or fall with the row (a resumable upload marks itself done). */
  alsoInTransaction?: (tx: Tx, id: string) => Promise<void>,
): Promise<{ id: string; duplicateOf: string | null; createdAt: Date }> {
  const db = getDb();
  try {
    return await db.transaction(async (tx) => {
      const [mine] = await tx
        .select({ id: contributions.id })
        .from(contributions)
        .where(and(eq(contributions.userId, input.userId), eq(contributions.cid, input.cid)));
      if (mine) throw new ConflictError("You already uploaded this file", { existingId: mine.id });
      const [earliest] = await tx
        .select({ id: contributions.id })
        .from(contributions)
        .where(and(eq(contributions.cid, input.cid), ne(contributions.userId, input.userId)))
        .orderBy(asc(contributions.createdAt))
        .limit(1);
      const [row] = await tx
        .insert(contributions)
        .values({ ...input, sizeBytes: input.size, duplicateOf: earliest?.id ?? null })
        .returning({ id: contributions.id, duplicateOf: contributions.duplicateOf, createdAt: contributions.createdAt, status: contributions.status });
      await VERIFY_JOB.enqueue(tx, { contributionId: row!.id }, { dedupeKey: `${VERIFY_JOB.name}:${row!.id}` });
      await PREVIEW_JOB.enqueue(tx, { contributionId: row!.id }, { dedupeKey: `${PREVIEW_JOB.name}:${row!.id}` });
      await tx.insert(auditLog).values({
        actorId: input.userId,
        entityType: "contribution",
        entityId: row!.id,
        action: CREATE_ACTION,
        toStatus: row!.status,
        details: { cid: input.cid, size: input.size, duplicateOf: row!.duplicateOf },
      });
      await alsoInTransaction?.(tx, row!.id);
      await recordEvent(tx, {
        type: "contribution.created",
        audience: [input.userId],
        data: { contribution_id: row!.id, title: input.title, file_type: input.fileType, status: row!.status, size_bytes: input.size, ipfs_cid: input.cid, created_at: row!.createdAt.toISOString() },
      });
      await publishContributionEvent(tx, { id: row!.id, status: row!.status, qualityScore: null, verificationCount: 0, at: row!.createdAt.toISOString() });
      return { id: row!.id, duplicateOf: row!.duplicateOf, createdAt: row!.createdAt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent upload of the same bytes by the same user won the race.
      const [existing] = await db
        .select({ id: contributions.id })
        .from(contributions)
        .where(and(eq(contributions.userId, input.userId), eq(contributions.cid, input.cid)));
      throw new ConflictError("You already uploaded this file", { existingId: existing?.id });
    }
    throw error;
  }
}
