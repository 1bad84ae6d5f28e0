import "server-only";

import { setFlagsFromString } from "node:v8";

/**
 * Node 24's V8 (13.6) grew the young generation's cap from 8 to 32 MB, which moved the point where
 * young ArrayBuffer bytes start a scavenge above the 64 MB at which external memory starts a full
 * collection: short-lived Buffers — every 1 MiB block a transfer moves — are then freed by
 * mark-compacts instead of scavenges (nodejs/node#61967, #63863). Measured here: 3–4× the CPU per
 * GiB downloaded and twice the memory held. Setting the cap back to 8 MB restores Node 20's shape;
 * V8 reads it when it decides, so setting it at start works. Node 20's V8 lacks the flag (and the
 * regression): it is left alone there.
 */
export function tuneGarbageCollection(): void {
  if (Number(process.versions.node.split(".")[0]) < 24) return;
  setFlagsFromString("--scavenger-max-new-space-capacity-mb=8");
}
