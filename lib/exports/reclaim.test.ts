import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { deadOldBuffers } from "@/test/dead-buffers";

import { collectionsRun, streamed } from "./reclaim";

const MiB = 2 ** 20;

describe("streamed", () => {
  it("runs a full collection once more than 16 MiB of ArrayBuffers are held, freeing the dead ones", async () => {
    // More than the high-water mark in all, fewer than the 64 MiB at which V8 would collect on their account.
    await deadOldBuffers(40 * MiB, 64 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    expect(before).toBeGreaterThan(32 * MiB);

    // V8 may also run a full collection on its own at any time (it did, on a loaded CI machine): what this
    // checks is that streaming starts one at its threshold, and that the dead buffers are then gone.
    const started = collectionsRun();
    streamed(MiB);
    expect(collectionsRun(), "nothing runs before 2 MiB have been streamed").toBe(started);

    streamed(MiB);
    expect(collectionsRun(), "a full collection at 2 MiB, with more than 16 MiB of ArrayBuffers held").toBe(started + 1);
    // Freed backing stores are counted off once V8's concurrent sweeper has run.
    await sleep(200);
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 32 * MiB);
  });
});
