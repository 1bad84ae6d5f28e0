import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { streamed } from "./reclaim";

const MiB = 2 ** 20;

describe("streamed", () => {
  it("runs a full collection once more than 16 MiB of ArrayBuffers are held, freeing the dead ones", async () => {
    // Buffers as an export leaves them: dead once written, more than the high-water mark in all, fewer
    // than the 64 MiB at which V8 would collect on their account.
    const pages: Buffer[] = [];
    for (let n = 0; n < 40 * MiB; n += 64 * 1024) pages.push(Buffer.alloc(64 * 1024, 1));
    pages.length = 0;
    const before = process.memoryUsage().arrayBuffers;
    expect(before).toBeGreaterThan(32 * MiB);

    streamed(MiB);
    await sleep(200);
    expect(process.memoryUsage().arrayBuffers, "nothing runs before 2 MiB have been streamed").toBeGreaterThan(before - 8 * MiB);

    streamed(MiB);
    // Freed backing stores are counted off once V8's concurrent sweeper has run.
    await sleep(200);
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 32 * MiB);
  });
});
