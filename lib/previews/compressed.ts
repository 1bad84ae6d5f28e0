import zlib from "node:zlib";

import { Decompress } from "fzstd";

import { BLOCK_SIZE, type TarSource } from "./archives";
import { UnreadableError, type RangeReader } from "./reader";

/**
 * A compressed tar (tar.gz, tar.zst) read as a stream: the compressed bytes come by ranges, a few at
 * a time, and are decompressed only as far as the headers need — entries' data is decompressed and
 * dropped, never kept, and the walk stops at an output budget (a bomb expands no further than that)
 * or a time budget, listing the entries reached.
 */
export class OutputBudgetError extends Error {
  override name = "OutputBudgetError";
}

/** Compressed bytes fed at a time: small, so one feed cannot expand far past the budget (deflate ≤ ~1,032×; zstd RLE blocks far more). */
const FEED: Record<Codec, number> = { gzip: 1024, zstd: 256 };

export type Codec = "gzip" | "zstd";

interface Inflater {
  /** Decompresses `input` (all of it), returning what came out. */
  push(input: Uint8Array, final: boolean): Promise<Uint8Array[]>;
}

function gunzipper(): Inflater {
  const gunzip = zlib.createGunzip();
  let out: Buffer[] = [];
  let failure: Error | null = null;
  gunzip.on("data", (c: Buffer) => out.push(c));
  gunzip.on("error", (e) => (failure = e));
  return {
    async push(input, final) {
      const damaged = () => new UnreadableError(`its gzip data is damaged (${(failure as Error | null)?.message})`);
      if (failure) throw damaged();
      // Settles when the chunk is processed — or when the inflater fails, which never calls back.
      await new Promise<void>((resolve) => {
        const done = () => {
          gunzip.off("error", done);
          resolve();
        };
        gunzip.once("error", done);
        if (final) gunzip.end(input, done);
        else gunzip.write(input, done);
      });
      await new Promise((resolve) => setImmediate(resolve));
      if (failure) throw damaged();
      const got = out;
      out = [];
      return got;
    },
  };
}

function unzstd(): Inflater {
  let out: Uint8Array[] = [];
  const d = new Decompress((chunk) => out.push(chunk));
  return {
    async push(input, final) {
      try {
        d.push(input, final);
      } catch (error) {
        throw new UnreadableError(`its zstd data is damaged (${(error as Error).message})`);
      }
      const got = out;
      out = [];
      return got;
    },
  };
}

/** The decompressed tar as a TarSource, within `maxOutput` decompressed bytes and `deadline` (epoch ms). */
export function streamedTar(r: RangeReader, codec: Codec, o: { maxOutput: number; deadline: number }): TarSource {
  const inflater = codec === "gzip" ? gunzipper() : unzstd();
  let input = 0;
  let produced = 0;
  let consumed = 0;
  let queue: Uint8Array[] = [];
  let queued = 0;
  let done = false;

  async function fill(n: number): Promise<void> {
    while (queued < n && !done) {
      if (Date.now() > o.deadline) throw new OutputBudgetError("the preview's time budget");
      const chunk = await r.read(input, FEED[codec]);
      input += chunk.length;
      const final = input >= r.size;
      for (const part of await inflater.push(chunk, final)) {
        produced += part.length;
        if (produced > o.maxOutput) throw new OutputBudgetError(`${o.maxOutput / 1024 / 1024} MiB decompressed`);
        queue.push(part);
        queued += part.length;
      }
      if (final) done = true;
    }
  }

  /** Takes `n` bytes off the queue (fewer at the end), keeping at most `keep` of them. */
  async function take(n: number, keep: number): Promise<Uint8Array> {
    const kept: Uint8Array[] = [];
    let keptBytes = 0;
    let left = n;
    while (left > 0) {
      await fill(Math.min(left, 1024 * 1024));
      if (queued === 0) break;
      const head = queue[0]!;
      const use = Math.min(head.length, left);
      if (keptBytes < keep) {
        const k = Math.min(use, keep - keptBytes);
        kept.push(head.subarray(0, k));
        keptBytes += k;
      }
      if (use === head.length) queue.shift();
      else queue[0] = head.subarray(use);
      queued -= use;
      left -= use;
      consumed += use;
    }
    if (queue.length === 0) queue = [];
    return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
  }

  return {
    get offset() {
      return consumed;
    },
    async block() {
      const b = await take(BLOCK_SIZE, BLOCK_SIZE);
      return b.length === BLOCK_SIZE ? b : null;
    },
    async data(size, keep) {
      return take(Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE, Math.min(keep, size));
    },
  };
}
