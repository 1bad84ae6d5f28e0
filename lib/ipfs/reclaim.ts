import "server-only";

import { createReclaimer } from "@/lib/reclaim";

const MiB = 2 ** 20;
const CHECK_EVERY = 64 * MiB;
const SLACK = 32 * MiB;

const held = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
let afterLast = held();

/**
 * File uploads and downloads (1 MiB blocks, 64 KiB chunks): every 64 MiB moved by all transfers
 * together, a full collection if the heap and ArrayBuffers hold 32 MiB more than right after the last
 * one — at most 16 per GiB moved. Without it, garbage piled up over a few 1 GiB transfers (+90 MiB
 * RSS in bench/RESULTS.md, file-transfer) until V8 got round to it.
 */
export const transferReclaimer = createReclaimer(
  CHECK_EVERY,
  () => held() > afterLast + SLACK,
  () => {
    afterLast = held();
  },
);
