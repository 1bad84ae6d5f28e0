import "server-only";

import { createReclaimer } from "@/lib/reclaim";

const MiB = 2 ** 20;

/**
 * Exports: every 2 MiB streamed by all exports together, a full collection if more than 16 MiB of
 * ArrayBuffers are held — about 1 per 10 MiB exported, each a few ms to tens of ms (bench/RESULTS.md,
 * exports). Without it a 1M-row export would hold up to 64 MiB of dead pages at a time (lib/reclaim.ts).
 */
const exportsReclaimer = createReclaimer(2 * MiB, () => process.memoryUsage().arrayBuffers > 16 * MiB);

export const streamed = exportsReclaimer.streamed;
export const collectionsRun = exportsReclaimer.collections;
