import "server-only";

import { sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributionReads } from "@/db/schema";
import type { KeyPrincipal } from "@/lib/api-keys/keys";
import { batchedCounts } from "@/lib/batched-counts";
import { isPaidPlan } from "@/lib/payments/plans";

import { monthOf } from "./period";

/**
 * Keyed reads per contribution and month, the weights of the month's revenue share: only reads a
 * paid plan's key makes of someone else's contribution count (a free key brings no revenue, and an
 * owner reading their own work must not earn from it). Batched like usage (lib/batched-counts).
 */
const reads = batchedCounts<{ period: string; contributionId: string }>("contribution reads", async (rows) => {
  await getDb()
    .insert(contributionReads)
    .values(rows.map(({ row, count }) => ({ ...row, reads: count })))
    .onConflictDoUpdate({
      target: [contributionReads.period, contributionReads.contributionId],
      set: { reads: sql`${contributionReads.reads} + excluded.reads`, updatedAt: sql`now()` },
    });
});

export function recordRead(key: KeyPrincipal, contribution: { id: string; ownerId: string }, at = new Date()): void {
  if (!isPaidPlan(key.plan) || key.userId === contribution.ownerId) return;
  const period = monthOf(at);
  reads.add(`${period}|${contribution.id}`, () => ({ period, contributionId: contribution.id }));
}

/** Writes what is pending (the period close, tests and graceful shutdown call it directly). */
export const flushReads = reads.flush;
