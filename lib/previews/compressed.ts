import zlib from "node:zlib";

import { Decompress } from "fzstd";
import * as xzModule from "xz-decompress";

import { BLOCK_SIZE, type TarSource } from "./archives";
import { BudgetExceededError, OutputBudgetError, UnreadableError, type RangeReader } from "./reader";

/**
 * A compressed tar (tar.gz, tar.zst, tar.xz) read as a stream: the compressed bytes come by ranges, a few at
 * a time, and are decompressed only as far as the headers need — entries' data is decompressed and
 * dropped, never kept, and the walk stops at an output budget (a bomb expands no further than that)
 * or a time budget, listing the entries reached.
 */
/** A UMD bundle: its class is a named export under bundlers, under `default` in Node's own ESM loader. */
const { XzReadableStream } = "XzReadableStream" in xzModule ? xzModule : (xzModule as unknown as { default: typeof xzModule }).default;

export { OutputBudgetError };

/** Compressed bytes fed at a time: small, so one feed cannot expand far past the budget (deflate ≤ ~1,032×; zstd RLE blocks far more). */
const FEED: Record<Codec, number> = { gzip: 1024, zstd: 256, xz: 1024 };

export type Codec = "gzip" | "zstd" | "xz";

interface Inflater {
  /** Decompresses `input` (all of it), returning what came out. */
  push(input: Uint8Array, final: boolean): Promise<Uint8Array[]>;
}

/** Decompressed output, a piece at a time (null at the end), reading compressed input from `r` as it needs it. */
type Pull = () => Promise<Uint8Array[] | null>;

/** gzip and zstd: each pull feeds one small slice of input and returns what came out of it. */
function pushed(r: RangeReader, codec: "gzip" | "zstd"): Pull {
  const inflater = codec === "gzip" ? gunzipper() : unzstd();
  let input = 0;
  let done = false;
  return async () => {
    if (done) return null;
    const chunk = await r.read(input, FEED[codec]);
    input += chunk.length;
    const final = input >= r.size;
    if (final) done = true;
    return inflater.push(chunk, final);
  };
}

/** xz (WebAssembly xz-embedded, as a web stream): it pulls 1 KiB input slices from `r` only when it needs more. */
function xzPull(r: RangeReader): Pull {
  let input = 0;
  const source = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (input >= r.size) return controller.close();
      const chunk = await r.read(input, FEED.xz);
      input += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const reader = new XzReadableStream(source).getReader();
  return async () => {
    try {
      const { value, done } = await reader.read();
      return done ? null : [value];
    } catch (error) {
      if (error instanceof BudgetExceededError) throw error;
      throw new UnreadableError(`its xz data is damaged (${(error as Error).message})`);
    }
  };
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
  const pull = codec === "xz" ? xzPull(r) : pushed(r, codec);
  let produced = 0;
  let consumed = 0;
  let queue: Uint8Array[] = [];
  let queued = 0;
  let done = false;

  async function fill(n: number): Promise<void> {
    while (queued < n && !done) {
      if (Date.now() > o.deadline) throw new OutputBudgetError("the preview's time budget");
      const parts = await pull();
      if (parts === null) {
        done = true;
        break;
      }
      for (const part of parts) {
        produced += part.length;
        if (produced > o.maxOutput) throw new OutputBudgetError(`${o.maxOutput / 1024 / 1024} MiB decompressed`);
        queue.push(part);
        queued += part.length;
      }
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
