import "server-only";

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Why this exists: a stream moving many bytes leaves dead memory behind — the bytes themselves outside
 * V8's heap (socket reads, blocks, pages), and small objects per chunk that outlive a scavenge while the
 * socket writes them. V8 frees both only in a full collection, and starts one on the bytes' account
 * alone once 64 MiB more than at the last one are held (nodejs/node#1671); the heap's own garbage waits
 * longer still. A reclaimer counts the bytes its streams move and, every `checkEvery` of them, runs a
 * full collection if `worthCollecting()` says enough is held (bench/RESULTS.md: exports, file-transfer).
 */
export interface Reclaimer {
  /** Counts bytes a stream has moved; now and then frees the dead ones. */
  streamed(bytes: number): void;
  /** Full collections this reclaimer has started (V8 also collects on its own, at times of its choosing). */
  collections(): number;
}

type FullCollection = () => void;

let collect: FullCollection | null | undefined;

/** `gc` as --expose-gc gives it; else the flag is set now and the function read from a new context (where V8 installs it). */
function fullCollection(): FullCollection | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: FullCollection }).gc;
  if (typeof exposed === "function") return (collect = exposed);
  try {
    setFlagsFromString("--expose-gc");
    const fromContext: unknown = runInNewContext("gc");
    collect = typeof fromContext === "function" ? (fromContext as FullCollection) : null;
  } catch {
    collect = null;
  }
  return collect;
}

export function createReclaimer(checkEvery: number, worthCollecting: () => boolean, afterCollection?: () => void): Reclaimer {
  let sinceCheck = 0;
  let collections = 0;
  return {
    streamed(bytes) {
      sinceCheck += bytes;
      if (sinceCheck < checkEvery) return;
      sinceCheck = 0;
      if (!worthCollecting()) return;
      const run = fullCollection();
      if (!run) return;
      collections++;
      // No argument: a full collection (an options object asks for a scavenge on Node 20's V8).
      run();
      afterCollection?.();
    },
    collections: () => collections,
  };
}
