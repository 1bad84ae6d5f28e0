import "server-only";

import { setFlagsFromString } from "node:v8";

const nodeMajor = Number(process.versions.node.split(".")[0]);

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
  if (nodeMajor < 24) return;
  setFlagsFromString("--scavenger-max-new-space-capacity-mb=8");
}

const SEMI_SPACE_FLAG = /--max-semi-space-size[= ]/;

/**
 * The young generation's size, unlike the flag above, is fixed when the heap is made: only a
 * command-line flag sets it. Node 24 lets it grow to 128 MB (Node 20: 32), and a large upload then
 * touches all of it — measured +75 MiB RSS for a fresh server's first 1 GiB upload, against +51
 * with `--max-semi-space-size=16` (Node 20's default), which `npm start` passes (package.json
 * `config.serverNodeOptions`). A server started some other way is told, once, at start.
 */
export function youngGenerationWarning(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string | undefined {
  if (nodeMajor < 24 || SEMI_SPACE_FLAG.test(`${execArgv.join(" ")} ${nodeOptions} `)) return undefined;
  return "Node 24 started without --max-semi-space-size: its young generation grows to 128 MB and large uploads hold ~25 MiB more memory; start with NODE_OPTIONS=--max-semi-space-size=16 (npm start does)";
}
