import "server-only";

import { desc } from "drizzle-orm";

import { getDb } from "@/db/client";
import { revenueSharePeriods } from "@/db/schema";

import { monthOf, nextMonth, previousMonth } from "./period";

export type ClosedMonth = typeof revenueSharePeriods.$inferSelect;

/** The latest closed months (newest first, at most `limit`), the month that can close next if one is over, and the current month. */
export async function revenueShareMonths(limit = 12, now = new Date()): Promise<{ months: ClosedMonth[]; next: string | null; current: string }> {
  const months = await getDb().select().from(revenueSharePeriods).orderBy(desc(revenueSharePeriods.period)).limit(Math.min(Math.max(limit, 1), 50));
  const next = months[0] ? nextMonth(months[0].period) : previousMonth(monthOf(now));
  return { months, next: next < monthOf(now) ? next : null, current: monthOf(now) };
}
