import "server-only";

import { stat } from "node:fs/promises";

import { and, eq, gt, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { uploads } from "@/db/schema";
import { UNFINISHED_UPLOAD_STATUS } from "@/db/vocabulary";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import type { z } from "zod";

import type { unfinishedUploadSchema } from "./schemas";
import { partialPath } from "./store";

/** The collection's path: an upload's URL is this and its id. */
export const UPLOADS_PATH = "/api/v1/uploads";

export interface UnfinishedUpload {
  id: string;
  url: string;
  fileName: string;
  title: string;
  fileType: string;
  size: number;
  /** Bytes the server holds: where a resumed upload goes on from. */
  offset: number;
  createdAt: Date;
  expiresAt: Date;
}

/** The bytes received so far (the partial file's length); 0 if the file is not there (yet, or any more). */
async function receivedBytes(id: string): Promise<number> {
  return stat(partialPath(id)).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * `userId`'s unfinished uploads, newest first (keyset pages). A user holds at most
 * MAX_ACTIVE_UPLOADS of them, so the file lengths read per page stay few.
 */
export async function listUnfinishedUploads(userId: string, options: { limit?: number; cursor?: Cursor } = {}): Promise<Page<UnfinishedUpload>> {
  const limit = options.limit ?? 20;
  const order = keyset(uploads.createdAt, uploads.id, options.cursor);
  const rows = await getDb()
    .select({ id: uploads.id, fileName: uploads.fileName, fields: uploads.fields, size: uploads.sizeBytes, createdAt: uploads.createdAt, expiresAt: uploads.expiresAt, cursorAt: cursorText(uploads.createdAt) })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), eq(uploads.status, UNFINISHED_UPLOAD_STATUS), gt(uploads.expiresAt, sql`now()`), order.where))
    .orderBy(order.orderBy)
    .limit(limit + 1);
  const offsets = new Map(await Promise.all(rows.slice(0, limit).map(async (r) => [r.id, await receivedBytes(r.id)] as const)));
  return toPage(
    rows,
    limit,
    (r) => ({
      id: r.id,
      url: `${UPLOADS_PATH}/${r.id}`,
      fileName: r.fileName,
      title: r.fields.title ?? "",
      fileType: r.fields.file_type ?? "",
      size: r.size,
      offset: offsets.get(r.id) ?? 0,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    }),
    options.cursor,
  );
}

/** The API's shape of an unfinished upload (snake_case, ISO times). */
export const toApiUpload = (u: UnfinishedUpload): z.infer<typeof unfinishedUploadSchema> => ({
  id: u.id,
  url: u.url,
  filename: u.fileName,
  title: u.title,
  file_type: u.fileType,
  size: u.size,
  offset: u.offset,
  created_at: u.createdAt.toISOString(),
  expires_at: u.expiresAt.toISOString(),
});
