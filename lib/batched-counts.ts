import "server-only";

import { onShutdown } from "@/lib/lifecycle";
import { log } from "@/lib/log";

/**
 * Counters kept in memory and written as one multi-row upsert each second (or every 500 distinct
 * rows): a write per request would make the busiest rows the bottleneck. A failed write puts its
 * counts back for the next flush; a graceful shutdown flushes what is pending, so a crash loses at
 * most the last second.
 */
const FLUSH_MS = 1_000;
const FLUSH_ROWS = 500;

export interface BatchedCounts<R> {
  /** Counts one more for `key`; `row` builds the row the first time the key is seen in a batch. */
  add(key: string, row: () => R): void;
  /** Writes what is pending (tests and graceful shutdown call it directly). */
  flush(): Promise<void>;
}

export function batchedCounts<R>(name: string, write: (rows: { row: R; count: number }[]) => Promise<void>): BatchedCounts<R> {
  const pending = new Map<string, { row: R; count: number }>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let flushOnExit = false;

  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => void flush(), ms);
    timer.unref();
  };

  const putBack = (batch: Map<string, { row: R; count: number }>) => {
    for (const [key, entry] of batch) {
      const current = pending.get(key);
      if (current) current.count += entry.count;
      else pending.set(key, entry);
    }
  };

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return flushing;
    const batch = new Map(pending);
    pending.clear();
    flushing = flushing.then(async () => {
      try {
        await write([...batch.values()]);
      } catch (error) {
        putBack(batch);
        log.error(`${name} flush failed; will retry`, { reason: error instanceof Error ? error.message : String(error) });
        schedule(FLUSH_MS * 5);
      }
    });
    return flushing;
  }

  function add(key: string, row: () => R): void {
    if (!flushOnExit) {
      flushOnExit = true;
      // Counted requests are written before the process exits (after in-flight requests finished).
      onShutdown(`${name} flush`, flush, { atExit: true });
    }
    const entry = pending.get(key);
    if (entry) entry.count++;
    else pending.set(key, { row: row(), count: 1 });
    if (pending.size >= FLUSH_ROWS) void flush();
    else schedule(FLUSH_MS);
  }

  return { add, flush };
}
