import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { getDb, queryRows, type Db, type Tx } from "@/db/client";
import { uploads, type Upload } from "@/db/schema";
import { UNFINISHED_UPLOAD_STATUS } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { PayloadTooLargeError, TooManyRequestsError } from "@/lib/errors";
import { formatBytes } from "@/lib/format";

import { UPLOAD_EXPIRY_JOB } from "./expiry-job";

export interface NewUpload {
  id: string;
  userId: string;
  sizeBytes: number;
  fileName: string;
  fields: Record<string, string>;
}

/**
 * The upload's row and its expiry job, after the per-user limits are checked under a per-user lock
 * (two creations at once cannot both take the last slot). Throws 429 past MAX_ACTIVE_UPLOADS and
 * 413 past MAX_PENDING_UPLOAD_BYTES.
 */
export async function createUploadRecord(input: NewUpload): Promise<Upload> {
  const { MAX_ACTIVE_UPLOADS, MAX_PENDING_UPLOAD_BYTES, UPLOAD_EXPIRY_HOURS } = getEnv();
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`uploads:${input.userId}`}))`);
    const [held] = await queryRows<{ n: number; bytes: number }>(
      tx,
      sql`SELECT count(*)::int AS n, coalesce(sum(${uploads.sizeBytes}), 0)::float8 AS bytes FROM ${uploads}
          WHERE ${uploads.userId} = ${input.userId} AND ${uploads.status} = ${UNFINISHED_UPLOAD_STATUS} AND ${uploads.expiresAt} > now()`,
    );
    if (held!.n >= MAX_ACTIVE_UPLOADS) {
      throw new TooManyRequestsError(`You have ${held!.n} unfinished uploads (the most is ${MAX_ACTIVE_UPLOADS}): finish or cancel one first`);
    }
    if (held!.bytes + input.sizeBytes > MAX_PENDING_UPLOAD_BYTES) {
      throw new PayloadTooLargeError(
        `Your unfinished uploads would hold ${formatBytes(held!.bytes + input.sizeBytes)}; the most is ${formatBytes(MAX_PENDING_UPLOAD_BYTES)}: finish or cancel one first`,
      );
    }
    const expiresAt = new Date(Date.now() + UPLOAD_EXPIRY_HOURS * 3_600_000);
    const [row] = await tx
      .insert(uploads)
      .values({ ...input, expiresAt })
      .returning();
    await UPLOAD_EXPIRY_JOB.enqueue(tx, { uploadId: input.id }, { dedupeKey: `${UPLOAD_EXPIRY_JOB.name}:${input.id}`, runAt: expiresAt });
    return row!;
  });
}

/** The upload `id` if `userId` sent it; anyone else's is unknown to them. */
export async function ownUpload(id: string, userId: string): Promise<Upload | undefined> {
  const [row] = await getDb()
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.userId, userId)));
  return row;
}

export async function getUploadRecord(id: string): Promise<Upload | undefined> {
  const [row] = await getDb().select().from(uploads).where(eq(uploads.id, id));
  return row;
}

/** Done: the upload became (or duplicates) `contributionId`. In `db`, the contribution's own transaction when it made one. */
export async function markUploadDone(id: string, result: { contributionId: string; duplicate: boolean }, db: Db | Tx = getDb()): Promise<void> {
  await db
    .update(uploads)
    .set({ status: "done", contributionId: result.contributionId, duplicate: result.duplicate, finishedAt: sql`now()` })
    .where(eq(uploads.id, id));
}

export async function deleteUploadRecord(id: string): Promise<void> {
  await getDb().delete(uploads).where(eq(uploads.id, id));
}
