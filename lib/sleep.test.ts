import { describe, expect, it } from "vitest";

import { sleep } from "./sleep";

describe("sleep", () => {
  it("waits, then resolves", async () => {
    const start = Date.now();
    await sleep(30);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });

  it("rejects with the signal's reason at once when aborted, before or during the wait", async () => {
    const before = new AbortController();
    before.abort(new Error("stopped"));
    await expect(sleep(10_000, before.signal)).rejects.toThrow("stopped");
    const during = new AbortController();
    const waiting = sleep(10_000, during.signal);
    during.abort(new Error("shutdown"));
    await expect(waiting).rejects.toThrow("shutdown");
  });
});
