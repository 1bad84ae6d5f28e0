import "server-only";

import { inArray, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { apiKeys, usageRecords } from "@/db/schema";
import { onShutdown } from "@/lib/lifecycle";
import { log } from "@/lib/log";

/**
 * Usage counted per (subscription, day, endpoint, key), batched in memory and flushed as one
 * multi-row upsert each second (or every 500 distinct rows): a write per request would make the
 * busiest keys' rows the bottleneck. A crash loses at most the last second of analytics; quotas
 * are enforced separately and exactly by the rate limiter.
 */
const FLUSH_MS = 1_000;
const FLUSH_ROWS = 500;

interface Pending {
  subscriptionId: string | null;
  userId: string;
  apiKeyId: string | null;
  endpoint: string;
  recordDate: string;
  count: number;
}

const pending = new Map<string, Pending>();
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

let flushOnExit = false;

export function recordUsage(u: Omit<Pending, "count" | "recordDate">, at = new Date()): void {
  if (!flushOnExit) {
    flushOnExit = true;
    // Counted requests are written before the process exits (after in-flight requests finished).
    onShutdown("usage flush", flushUsage, { atExit: true });
  }
  const recordDate = at.toISOString().slice(0, 10);
  const key = `${u.subscriptionId}|${u.userId}|${u.apiKeyId}|${u.endpoint}|${recordDate}`;
  const row = pending.get(key);
  if (row) row.count++;
  else pending.set(key, { ...u, recordDate, count: 1 });
  if (pending.size >= FLUSH_ROWS) void flushUsage();
  else if (!timer) {
    timer = setTimeout(() => void flushUsage(), FLUSH_MS);
    timer.unref();
  }
}

/** Writes what is pending (tests and graceful shutdown call it directly). */
export function flushUsage(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  if (pending.size === 0) return flushing;
  const rows = [...pending.values()];
  pending.clear();
  flushing = flushing.then(async () => {
    try {
      await getDb()
        .insert(usageRecords)
        .values(rows.map((r) => ({ subscriptionId: r.subscriptionId, userId: r.userId, apiKeyId: r.apiKeyId, endpoint: r.endpoint, recordDate: r.recordDate, requestCount: r.count })))
        .onConflictDoUpdate({
          target: [usageRecords.subscriptionId, usageRecords.recordDate, usageRecords.endpoint, usageRecords.apiKeyId],
          set: { requestCount: sql`${usageRecords.requestCount} + excluded.request_count`, updatedAt: sql`now()` },
        });
      const keys = [...new Set(rows.flatMap((r) => (r.apiKeyId ? [r.apiKeyId] : [])))];
      if (keys.length > 0) await getDb().update(apiKeys).set({ lastUsedAt: sql`now()` }).where(inArray(apiKeys.id, keys));
    } catch (error) {
      // Put the counts back for the next flush rather than lose them.
      for (const r of rows) {
        const key = `${r.subscriptionId}|${r.userId}|${r.apiKeyId}|${r.endpoint}|${r.recordDate}`;
        const row = pending.get(key);
        if (row) row.count += r.count;
        else pending.set(key, r);
      }
      log.error("usage flush failed; will retry", { reason: error instanceof Error ? error.message : String(error) });
      if (!timer) {
        timer = setTimeout(() => void flushUsage(), FLUSH_MS * 5);
        timer.unref();
      }
    }
  });
  return flushing;
}
