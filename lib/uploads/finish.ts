import "server-only";

import { createReadStream } from "node:fs";

import type { Upload } from "@/db/schema";
import { storeUpload } from "@/lib/contributions/upload";
import { AppError, ConflictError, NotFoundError } from "@/lib/errors";

import { withUploadLock } from "./locker";
import { deleteUploadRecord, getUploadRecord, markUploadDone } from "./records";
import { partialPath, removePartial } from "./store";

export interface FinishedUpload {
  contributionId: string;
  /** The bytes duplicate the user's own earlier upload, which `contributionId` names. */
  duplicate: boolean;
}

/** How long a request waits for another one importing the same upload (a GiB takes a while). */
const IMPORT_WAIT_MS = 10 * 60_000;

/**
 * Imports a complete upload into the IPFS node once, whoever asks first (the final PATCH, or a HEAD
 * after it on any instance): under the upload's lock, a request that finds it imported gets the
 * same answer. The import is the multipart upload's own (storeUpload: sniffing, duplicate rules,
 * sha256, verify job), and the upload is marked done in the contribution's transaction. A file
 * refused (wrong type, bad fields) leaves nothing behind; our own fault (a 5xx) keeps the bytes
 * so the next HEAD imports them again.
 */
export async function finishUpload(id: string): Promise<FinishedUpload> {
  return withUploadLock(id, IMPORT_WAIT_MS, async () => {
    const upload = await getUploadRecord(id);
    if (!upload) throw new NotFoundError("This upload no longer exists");
    const result = upload.status === "done" ? doneResult(upload) : await importUpload(upload);
    await removePartial(id);
    return result;
  });
}

/** What a done upload became. */
export const doneResult = (upload: Upload): FinishedUpload => ({ contributionId: upload.contributionId!, duplicate: upload.duplicate });

async function importUpload(upload: Upload): Promise<FinishedUpload> {
  try {
    const created = await storeUpload({
      userId: upload.userId,
      fileName: upload.fileName,
      file: createReadStream(partialPath(upload.id), { highWaterMark: 1024 * 1024 }),
      fields: upload.fields,
      alsoInTransaction: (tx, contributionId) => markUploadDone(upload.id, { contributionId, duplicate: false }, tx),
    });
    return { contributionId: created.id, duplicate: false };
  } catch (error) {
    const existingId = error instanceof ConflictError ? error.extra.existingId : undefined;
    if (typeof existingId === "string") {
      await markUploadDone(upload.id, { contributionId: existingId, duplicate: true });
      return { contributionId: existingId, duplicate: true };
    }
    if (error instanceof AppError && error.status < 500) {
      await removePartial(upload.id);
      await deleteUploadRecord(upload.id);
    }
    throw error;
  }
}
