import { describe, expect, it } from "vitest";

import { QueryCache } from "./query-cache";

function setup(maxStalenessMs = 1000) {
  let t = 0;
  const cache = new QueryCache({ maxStalenessMs, maxEntries: 100, maxBytes: 2 ** 20, now: () => t });
  const clock = { advance: (ms: number) => (t += ms), at: () => t };
  cache.fenced(cache.fenceTime());
  let reads = 0;
  const source = new Map<string, string>();
  const read = (key: string, tags: string[] = [], anyChange = false) =>
    cache.get(key, { tables: ["contributions"], anyChange }, async () => {
      reads++;
      return { value: source.get(key) ?? "none", tags };
    });
  return { cache, clock, source, read, reads: () => reads };
}

/** A fill the test finishes by hand, to interleave events with it. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("QueryCache", () => {
  it("serves a stored answer until a change of its rows, its table (anyChange) or all rows arrives", async () => {
    const { cache, source, read, reads } = setup();
    source.set("detail", "v1");
    source.set("page", "p1");
    expect(await read("detail", ["c:1"])).toBe("v1");
    expect(await read("page", [], true)).toBe("p1");
    source.set("detail", "v2");
    source.set("page", "p2");
    expect(await read("detail", ["c:1"])).toBe("v1");
    expect(reads()).toBe(2);
    cache.invalidate("contributions", ["c:2"]); // another row: the detail stays, the page goes
    expect(await read("detail", ["c:1"])).toBe("v1");
    expect(await read("page", [], true)).toBe("p2");
    cache.invalidate("rewards", ["c:1"]); // same tag, a table the answer does not read: tags are global, dropped too
    expect(await read("detail", ["c:1"])).toBe("v2");
    source.set("detail", "v3");
    cache.invalidate("contributions", "*");
    expect(await read("detail", ["c:1"])).toBe("v3");
  });

  it("serves nothing once its last fence is older than the staleness bound", async () => {
    const { cache, clock, source, read, reads } = setup(1000);
    source.set("k", "a");
    await read("k");
    clock.advance(1000);
    await read("k");
    expect(reads()).toBe(1);
    clock.advance(1);
    await read("k");
    expect(reads()).toBe(2);
    expect(cache.stats().bypasses).toBe(1);
    cache.fenced(clock.at());
    await read("k");
    expect(reads()).toBe(2);
  });

  it("after a local write ends, serves nothing of its tables until a fence sent after the end returns", async () => {
    const { cache, clock, source, read, reads } = setup();
    source.set("k", "before");
    await read("k", ["c:1"]);
    cache.writeStarted(["contributions"]);
    source.set("k", "after");
    expect(await read("k", ["c:1"])).toBe("after"); // in flight: the database answers (and nothing is stored)
    clock.advance(5);
    const earlyFence = cache.fenceTime();
    clock.advance(5);
    cache.writeEnded(["contributions"]);
    cache.fenced(earlyFence); // sent before the write ended: proves nothing about it
    expect(await read("k", ["c:1"])).toBe("after");
    expect(reads()).toBe(3);
    // The trigger's NOTIFY comes before the later fence (commit order)
    cache.invalidate("contributions", ["c:1"]);
    cache.fenced(cache.fenceTime());
    expect(await read("k", ["c:1"])).toBe("after");
    expect(await read("k", ["c:1"])).toBe("after");
    expect(reads()).toBe(4); // the first read after the fence filled, the second hit
  });

  it("ignores writes to tables it does not cache", async () => {
    const { cache, read, reads } = setup();
    await read("k");
    cache.writeStarted(["jobs"]);
    await read("k");
    expect(reads()).toBe(1);
  });

  it("does not store a fill that an invalidation of its rows overtook", async () => {
    const { cache, source } = setup();
    const gate = deferred<void>();
    source.set("k", "old");
    const fill = async () => {
      const value = source.get("k")!;
      await gate.promise;
      return { value, tags: ["c:1"] };
    };
    const first = cache.get("k", { tables: ["contributions"] }, fill);
    source.set("k", "new");
    cache.invalidate("contributions", ["c:1"]);
    gate.resolve();
    expect(await first).toBe("old"); // the reader that started before the change may see it
    expect(await cache.get("k", { tables: ["contributions"] }, async () => ({ value: source.get("k")!, tags: ["c:1"] }))).toBe("new");
  });

  it("stores a fill that only unrelated rows changed during", async () => {
    const { cache } = setup();
    const gate = deferred<void>();
    const first = cache.get("k", { tables: ["contributions"] }, async () => {
      await gate.promise;
      return { value: "v", tags: ["c:1"] };
    });
    cache.invalidate("contributions", ["c:2"]);
    gate.resolve();
    await first;
    let again = 0;
    await cache.get("k", { tables: ["contributions"] }, async () => ({ value: String(++again), tags: ["c:1"] }));
    expect(again).toBe(0);
  });

  it("lets concurrent misses share one fill, but not one that started before a change", async () => {
    const { cache } = setup();
    const gate = deferred<void>();
    let fills = 0;
    const fill = async () => {
      const n = ++fills;
      await gate.promise;
      return { value: `v${n}`, tags: [] };
    };
    const deps = { tables: ["contributions"] as const, anyChange: true };
    const a = cache.get("k", deps, fill);
    const b = cache.get("k", deps, fill);
    cache.invalidate("contributions", ["c:9"]);
    const c = cache.get("k", deps, fill);
    gate.resolve();
    expect(await Promise.all([a, b, c])).toEqual(["v1", "v1", "v2"]);
    expect(fills).toBe(2);
  });

  it("does not store not-found answers, and keeps to its entry and byte bounds", async () => {
    let t = 0;
    const cache = new QueryCache({ maxStalenessMs: 1000, maxEntries: 3, maxBytes: 2 ** 20, now: () => t });
    cache.fenced(0);
    let fills = 0;
    const get = (key: string, value: unknown = key) =>
      cache.get(key, { tables: ["users"] }, async () => {
        fills++;
        return { value, tags: [] };
      });
    await get("missing", null);
    await get("missing", null);
    expect(fills).toBe(2);
    for (const k of ["a", "b", "c", "d"]) await get(k);
    expect(cache.stats().entries).toBe(3);
    fills = 0;
    await get("a"); // the least recently used went first
    expect(fills).toBe(1);
    const small = new QueryCache({ maxStalenessMs: 1000, maxEntries: 100, maxBytes: 8 * 1024, now: () => t });
    small.fenced(0);
    for (let i = 0; i < 20; i++) await small.get(`k${i}`, { tables: ["users"] }, async () => ({ value: "x".repeat(400), tags: [] }));
    expect(small.stats().bytes).toBeLessThanOrEqual(8 * 1024);
    t++;
  });

  it("drops everything on clear (the listening connection came back: changes meanwhile were not heard)", async () => {
    const { cache, source, read } = setup();
    source.set("k", "1");
    await read("k", ["c:1"]);
    source.set("k", "2");
    cache.clear(["contributions"]);
    expect(await read("k", ["c:1"])).toBe("2");
  });
});
