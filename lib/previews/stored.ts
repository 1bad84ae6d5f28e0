import "server-only";

import { eq, sql } from "drizzle-orm";
import { z } from "zod";

import { getDb } from "@/db/client";
import { contributions, previews } from "@/db/schema";
import { jobKind } from "@/lib/jobs/kind";

import { computePreview, type Preview, type StoredFile } from "./contribution-preview";

/**
 * Previews are computed once per file (per CID: the same bytes share one) by a job queued with the
 * upload, stored bounded, and recomputed only when PREVIEWER_VERSION changes — a page or the API
 * that finds none (or an older one) computes it then, within the same bounds.
 */
export const PREVIEWER_VERSION = 6;

export const PREVIEW_JOB = jobKind("preview-contribution", z.object({ contributionId: z.uuid() }));

export interface StoredPreview {
  preview: Preview;
  bytesRead: number;
  computedAt: Date;
  version: number;
}

/** The file's preview: the stored one when it is current, else computed now and stored. */
export async function storedPreview(file: StoredFile): Promise<StoredPreview> {
  const [row] = await getDb().select({ version: previews.version, body: previews.body, bytesRead: previews.bytesRead, computedAt: previews.computedAt }).from(previews).where(eq(previews.cid, file.cid));
  if (row && row.version === PREVIEWER_VERSION) return { preview: row.body as unknown as Preview, bytesRead: row.bytesRead, computedAt: row.computedAt, version: row.version };
  const computed = await computePreview(file);
  return { preview: computed.preview, bytesRead: computed.bytesRead, computedAt: await save(file.cid, computed), version: PREVIEWER_VERSION };
}

async function save(cid: string, c: Awaited<ReturnType<typeof computePreview>>): Promise<Date> {
  const body = c.preview as unknown as Record<string, unknown>;
  const values = { version: PREVIEWER_VERSION, body, bytesRead: c.bytesRead, thumbnail: c.thumbnail };
  const [saved] = await getDb()
    .insert(previews)
    .values({ cid, ...values })
    .onConflictDoUpdate({ target: previews.cid, set: { ...values, computedAt: sql`now()` } })
    .returning({ computedAt: previews.computedAt });
  return saved!.computedAt;
}

/** The job: the upload's preview, ahead of its first reader. */
export const previewContributionJob = PREVIEW_JOB.handler(async ({ contributionId }) => {
  const [c] = await getDb()
    .select({ cid: contributions.cid, size: contributions.sizeBytes, mediaType: contributions.mediaType, name: contributions.fileName })
    .from(contributions)
    .where(eq(contributions.id, contributionId));
  if (c) await storedPreview(c);
});

/**
 * The file's thumbnail; null when it has none. Non-images are answered without a read; an image with
 * no current preview is previewed now, and stored only when a thumbnail came of it (a 404 writes nothing).
 */
export async function storedThumbnail(file: StoredFile): Promise<Buffer | null> {
  if (!file.mediaType.startsWith("image/")) return null;
  const db = getDb();
  const [row] = await db.select({ version: previews.version, thumbnail: previews.thumbnail }).from(previews).where(eq(previews.cid, file.cid));
  if (row && row.version === PREVIEWER_VERSION) return row.thumbnail;
  const computed = await computePreview(file);
  if (!computed.thumbnail) return null;
  await save(file.cid, computed);
  return computed.thumbnail;
}
