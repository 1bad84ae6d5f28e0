import "server-only";

import { desc } from "drizzle-orm";
import { z } from "zod";

import { getDb, type Tx } from "@/db/client";
import { revenueSharePeriods } from "@/db/schema";
import { jobKind } from "@/lib/jobs/kind";

import { closeRevenuePeriod } from "./close";
import { monthOf, nextMonth } from "./period";

/** Invoices paid at a month's end reach us by webhook a little later: the close waits this long. */
const GRACE_MS = 60 * 60_000;

export const REVENUE_SHARE_JOB = jobKind("revenue-share-close", z.object({ period: z.iso.date() }));

/** The close of the month `at` falls in, an hour after it ends (deduplicated: every instance may schedule it). */
export async function scheduleRevenueShareClose(tx: Tx, at = new Date()): Promise<void> {
  const period = monthOf(at);
  const runAt = new Date(Date.parse(`${nextMonth(period)}T00:00:00Z`) + GRACE_MS);
  await REVENUE_SHARE_JOB.enqueue(tx, { period }, { dedupeKey: `revenue-share:${period}`, runAt });
}

/** Closes every month not yet closed up to `period`, in order (a month missed while down is closed first), then schedules the next. */
export const revenueShareCloseJob = REVENUE_SHARE_JOB.handler(async ({ period }) => {
  const [last] = await getDb().select({ period: revenueSharePeriods.period }).from(revenueSharePeriods).orderBy(desc(revenueSharePeriods.period)).limit(1);
  for (let month = last ? nextMonth(last.period) : period; month <= period; month = nextMonth(month)) await closeRevenuePeriod(month);
  await getDb().transaction((tx) => scheduleRevenueShareClose(tx, new Date(`${nextMonth(period)}T00:00:00Z`)));
});
