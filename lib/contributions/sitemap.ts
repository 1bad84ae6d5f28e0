import "server-only";

import { and, desc, eq, notInArray } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributions } from "@/db/schema";
import { HELD_STATUSES } from "@/db/vocabulary";

/** How many contributions the sitemap names: the newest, a bounded list (search engines find older ones through /contributions). */
export const SITEMAP_CONTRIBUTIONS = 1000;

/** The newest contributions a search engine may index: never calibration items, never held (halted or paused) ones. */
export async function sitemapContributions(limit = SITEMAP_CONTRIBUTIONS): Promise<{ id: string; updatedAt: Date }[]> {
  return getDb()
    .select({ id: contributions.id, updatedAt: contributions.updatedAt })
    .from(contributions)
    .where(and(eq(contributions.calibration, false), notInArray(contributions.status, [...HELD_STATUSES])))
    .orderBy(desc(contributions.createdAt), desc(contributions.id))
    .limit(limit);
}
