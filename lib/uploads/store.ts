import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, type Hash } from "node:crypto";
import { truncate, unlink } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";

import { FileStore } from "@tus/file-store";

import { getEnv } from "@/lib/config/env";
import { ChecksumMismatchError } from "@/lib/errors";

/** Algorithms of the tus checksum extension this server verifies (`Tus-Checksum-Algorithm`). */
export const CHECKSUM_ALGORITHMS = ["sha1", "sha256", "sha512", "md5"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  digest: Buffer;
}

/** The Upload-Checksum of the PATCH being written (set around the tus handler by lib/api/tus.ts). */
export const expectedChecksum = new AsyncLocalStorage<ExpectedChecksum | undefined>();

export function uploadDir(): string {
  const env = getEnv();
  return path.resolve(env.UPLOAD_DIR ?? path.join(env.DATA_DIR, "uploads"));
}

/**
 * The file store with the checksum extension: a PATCH carrying Upload-Checksum is hashed on its way
 * to disk and, when the digest differs (or the body broke off, so it cannot be checked), the file is
 * cut back to where the PATCH began — the chunk is not kept, as the extension requires. The write
 * runs under the upload's lock, so nothing else appends meanwhile.
 */
class ChecksummedFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const expected = expectedChecksum.getStore();
    if (!expected) return super.write(readable, id, offset);
    const hash = createHash(expected.algorithm);
    let end: number;
    try {
      const hashed = hashing(hash);
      // pipe() does not pass a broken-off body on: the write must fail, not wait.
      readable.once("error", (error) => hashed.destroy(error));
      end = await super.write(readable.pipe(hashed), id, offset);
    } catch (error) {
      await truncate(partialPath(id), offset);
      throw error;
    }
    if (!hash.digest().equals(expected.digest)) {
      await truncate(partialPath(id), offset);
      throw new ChecksumMismatchError();
    }
    return end;
  }
}

const hashing = (hash: Hash) =>
  new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });

const globalForStore = globalThis as unknown as { __nwuUploadStore?: { dir: string; expiryMs: number; store: FileStore } };

/** The process's store for UPLOAD_DIR (made again if the folder or the expiry changed, as tests do). */
export function uploadStore(): FileStore {
  const dir = uploadDir();
  const expiryMs = getEnv().UPLOAD_EXPIRY_HOURS * 3_600_000;
  const held = globalForStore.__nwuUploadStore;
  if (held?.dir === dir && held.expiryMs === expiryMs) return held.store;
  const store = new ChecksummedFileStore({ directory: dir, expirationPeriodInMilliseconds: expiryMs });
  globalForStore.__nwuUploadStore = { dir, expiryMs, store };
  return store;
}

/** Where the partial bytes of upload `id` are. */
export const partialPath = (id: string) => path.join(uploadDir(), id);

/** Removes the partial file and its `.json` description; already gone is fine. */
export async function removePartial(id: string): Promise<void> {
  for (const file of [partialPath(id), `${partialPath(id)}.json`]) {
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
}
