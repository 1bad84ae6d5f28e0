import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { deadOldBuffers } from "@/test/dead-buffers";

import { transferReclaimer } from "./reclaim";

const MiB = 2 ** 20;

describe("transferReclaimer", () => {
  it("every 64 MiB moved, frees what piled up beyond 32 MiB since its last collection, and only then", async () => {
    // 1 MiB blocks, as transfers leave them.
    await deadOldBuffers(48 * MiB, MiB);
    const before = process.memoryUsage().arrayBuffers;
    expect(before).toBeGreaterThan(48 * MiB);
    const started = transferReclaimer.collections();

    transferReclaimer.streamed(63 * MiB);
    expect(transferReclaimer.collections(), "nothing runs before 64 MiB have moved").toBe(started);
    transferReclaimer.streamed(MiB);
    expect(transferReclaimer.collections(), "a full collection at 64 MiB, with 48 MiB of dead blocks held").toBe(started + 1);
    await sleep(200);
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 40 * MiB);

    transferReclaimer.streamed(64 * MiB);
    expect(transferReclaimer.collections(), "no new garbage since: no collection").toBe(started + 1);
  });
});
