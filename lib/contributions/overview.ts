import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";

import { getReadDb, queryRows } from "@/db/client";
import { contributions, users, type FileType } from "@/db/schema";
import { OPEN_STATUSES, sqlLiterals } from "@/db/vocabulary";

/** The platform at a glance, for the home page: what is public (calibration items are never counted). */
export interface PlatformFigures {
  contributions: number;
  verified: number;
  /** Being verified now (pending, verifying, under appeal): work waiting for reviewers. */
  open: number;
  verifiers: number;
  /** NWU earned by verified work, paid or not, as decimal text. */
  rewarded: string;
}

const OPEN = sql.raw(sqlLiterals(OPEN_STATUSES));

/** One statement: one pass over the contributions (counts by filter), the reward sum, the verifier count. */
export async function platformFigures(): Promise<PlatformFigures> {
  const [row] = await queryRows<{ contributions: number; verified: number; open: number; verifiers: number; rewarded: string }>(
    getReadDb(),
    sql`SELECT c.contributions, c.verified, c.open,
      (SELECT count(*)::int FROM users WHERE 'verifier' = ANY(roles)) AS verifiers,
      (SELECT coalesce(sum(amount), 0)::text FROM rewards) AS rewarded
    FROM (SELECT count(*)::int AS contributions,
            (count(*) FILTER (WHERE status = 'verified'))::int AS verified,
            (count(*) FILTER (WHERE status IN (${OPEN})))::int AS open
          FROM contributions WHERE NOT calibration) c`,
  );
  return { contributions: row!.contributions, verified: row!.verified, open: row!.open, verifiers: row!.verifiers, rewarded: row!.rewarded };
}

export interface RecentVerified {
  id: string;
  title: string;
  fileType: FileType;
  qualityScore: number | null;
  owner: string;
  ownerName: string | null;
  decidedAt: Date | null;
}

/** The newest verified work (by upload, the status index's order), at most `limit` (≤ 20). */
export async function recentVerified(limit = 5): Promise<RecentVerified[]> {
  return getReadDb()
    .select({
      id: contributions.id,
      title: contributions.title,
      fileType: contributions.fileType,
      qualityScore: contributions.qualityScore,
      owner: users.address,
      ownerName: users.username,
      decidedAt: contributions.decidedAt,
    })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .where(and(eq(contributions.status, "verified"), sql`NOT ${contributions.calibration}`))
    .orderBy(desc(contributions.createdAt), desc(contributions.id))
    .limit(Math.min(Math.max(limit, 1), 20));
}
