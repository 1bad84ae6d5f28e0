import "server-only";

import { eq } from "drizzle-orm";

import { getDb } from "@/db/client";
import { uploads } from "@/db/schema";

import { UPLOAD_EXPIRY_JOB } from "./expiry-job";
import { withUploadLock } from "./locker";
import { removePartial } from "./store";

/** How long the expiry waits for a request still holding the upload (a PATCH, an import). */
const EXPIRY_LOCK_WAIT_MS = 10 * 60_000;

/**
 * Removes an expired upload: under its lock, so a write or an import in progress ends first (tus
 * itself refuses further PATCHes after the expiry, with 410). An upload already terminated has no
 * row; its file, if a crash left one, goes too.
 */
export const uploadExpiryJob = UPLOAD_EXPIRY_JOB.handler(async ({ uploadId }) => {
  await withUploadLock(uploadId, EXPIRY_LOCK_WAIT_MS, async () => {
    await removePartial(uploadId);
    await getDb().delete(uploads).where(eq(uploads.id, uploadId));
  });
});
