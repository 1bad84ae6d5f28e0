import "server-only";

import { inArray, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { apiKeys, usageRecords } from "@/db/schema";
import { batchedCounts } from "@/lib/batched-counts";

/**
 * Usage counted per (subscription, day, endpoint, key), batched (lib/batched-counts). A crash loses
 * at most the last second of analytics; quotas and billing are enforced separately and exactly by
 * the rate limiter's counters.
 */
interface UsageRow {
  subscriptionId: string | null;
  userId: string;
  apiKeyId: string | null;
  endpoint: string;
  recordDate: string;
}

const usage = batchedCounts<UsageRow>("usage", async (rows) => {
  await getDb()
    .insert(usageRecords)
    .values(rows.map(({ row, count }) => ({ ...row, requestCount: count })))
    .onConflictDoUpdate({
      target: [usageRecords.subscriptionId, usageRecords.recordDate, usageRecords.endpoint, usageRecords.apiKeyId],
      set: { requestCount: sql`${usageRecords.requestCount} + excluded.request_count`, updatedAt: sql`now()` },
    });
  const keys = [...new Set(rows.flatMap(({ row }) => (row.apiKeyId ? [row.apiKeyId] : [])))];
  if (keys.length > 0) await getDb().update(apiKeys).set({ lastUsedAt: sql`now()` }).where(inArray(apiKeys.id, keys));
});

export function recordUsage(u: Omit<UsageRow, "recordDate">, at = new Date()): void {
  const recordDate = at.toISOString().slice(0, 10);
  usage.add(`${u.subscriptionId}|${u.userId}|${u.apiKeyId}|${u.endpoint}|${recordDate}`, () => ({ ...u, recordDate }));
}

/** Writes what is pending (tests and graceful shutdown call it directly). */
export const flushUsage = usage.flush;
