import "server-only";

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Why this exists: a streamed export allocates its bytes outside V8's heap (the driver's socket reads, each
 * page's body), and they die as soon as the page is written. V8 frees them only in a full collection, and
 * starts one on their account alone once 64 MiB more than at the last one are held (nodejs/node#1671), so
 * a 1M-row export would hold up to that much dead memory at a time; young-generation collections do not
 * free them (they outlive a scavenge while the socket writes them). Instead, every CHECK_EVERY bytes
 * streamed by all exports together, if more than HIGH_WATER bytes of ArrayBuffers are held, a full
 * collection is run: about 1 per 10 MiB exported, each a few ms to tens of ms (bench/RESULTS.md, exports).
 */
const CHECK_EVERY = 2 * 2 ** 20;
const HIGH_WATER = 16 * 2 ** 20;

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

let sinceCheck = 0;
let collections = 0;

/** How many full collections streaming has started in this process (for the test: V8 also collects on its own, at times of its choosing). */
export const collectionsRun = (): number => collections;

/** Counts bytes an export has streamed; now and then frees the dead ones (see above). */
export function streamed(bytes: number): void {
  sinceCheck += bytes;
  if (sinceCheck < CHECK_EVERY) return;
  sinceCheck = 0;
  if (process.memoryUsage().arrayBuffers <= HIGH_WATER) return;
  const collect = fullCollection();
  if (!collect) return;
  collections++;
  // No argument: a full collection (an options object asks for a scavenge on Node 20's V8).
  collect();
}
