import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, type Hash } from "node:crypto";
import { truncate, unlink } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";

import { FileStore } from "@tus/file-store";

import { getEnv } from "@/lib/config/env";
import { ChecksumMismatchError, RequestTimeoutError } from "@/lib/errors";

/** Algorithms of the tus checksum extension this server verifies (`Tus-Checksum-Algorithm`). */
export const CHECKSUM_ALGORITHMS = ["sha1", "sha256", "sha512", "md5"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  digest: Buffer;
}

/** What the PATCH being written asks of the store (set around the tus handler by lib/api/tus.ts). */
export interface PatchContext {
  checksum?: ExpectedChecksum;
  /** The body may send nothing for this long (UPLOAD_IDLE_TIMEOUT_MS); then the write ends with 408. */
  idleMs: number;
}
export const patchContext = new AsyncLocalStorage<PatchContext>();

export function uploadDir(): string {
  const env = getEnv();
  return path.resolve(env.UPLOAD_DIR ?? path.join(env.DATA_DIR, "uploads"));
}

/**
 * The file store with what a PATCH needs beyond @tus/file-store:
 * - the checksum extension: a PATCH carrying Upload-Checksum is hashed on its way to disk and, when
 *   the digest differs (or the body broke off, so it cannot be checked), the file is cut back to
 *   where the PATCH began — the chunk is not kept, as the extension requires;
 * - an idle bound: a body that sends nothing for `idleMs` (a laptop asleep) ends the write with what
 *   arrived, so it does not hold the upload's lock and a connection for ever.
 * The write runs under the upload's lock, so nothing else appends meanwhile.
 */
class PatchingFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const context = patchContext.getStore();
    if (!context) return super.write(readable, id, offset);
    const hash = context.checksum && createHash(context.checksum.algorithm);
    const watched = watch(readable, context.idleMs, hash);
    let end: number;
    try {
      end = await super.write(watched.stream, id, offset);
    } catch (error) {
      if (hash) await truncate(partialPath(id), offset);
      // The store reports every broken write alike; a stall is the client's, and says so.
      throw watched.stalled() ? new RequestTimeoutError(`No data arrived for ${context.idleMs / 1000} s; resume the upload from its offset`) : error;
    }
    if (hash && !hash.digest().equals(context.checksum!.digest)) {
      await truncate(partialPath(id), offset);
      throw new ChecksumMismatchError();
    }
    return end;
  }
}

/** The body passed on untouched, hashed if asked, and broken off once it sends nothing for `idleMs`. */
function watch(readable: Readable, idleMs: number, hash: Hash | undefined): { stream: Transform; stalled: () => boolean } {
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      arm();
      hash?.update(chunk);
      callback(null, chunk);
    },
  });
  // One timer for the whole body, pushed back by each chunk (refresh(), not a new timer per chunk).
  function arm() {
    if (timer) return void timer.refresh();
    timer = setTimeout(() => {
      stalled = true;
      stream.destroy(new Error("the upload's body stalled"));
    }, idleMs);
  }
  stream.once("close", () => clearTimeout(timer));
  stream.once("end", () => clearTimeout(timer));
  // pipe() does not pass a broken-off body on: the write must fail, not wait.
  readable.once("error", (error) => stream.destroy(error));
  arm();
  readable.pipe(stream);
  return { stream, stalled: () => stalled };
}

const globalForStore = globalThis as unknown as { __nwuUploadStore?: { dir: string; expiryMs: number; store: FileStore } };

/** The process's store for UPLOAD_DIR (made again if the folder or the expiry changed, as tests do). */
export function uploadStore(): FileStore {
  const dir = uploadDir();
  const expiryMs = getEnv().UPLOAD_EXPIRY_HOURS * 3_600_000;
  const held = globalForStore.__nwuUploadStore;
  if (held?.dir === dir && held.expiryMs === expiryMs) return held.store;
  const store = new PatchingFileStore({ directory: dir, expirationPeriodInMilliseconds: expiryMs });
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
