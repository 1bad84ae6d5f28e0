import "server-only";

import { sql } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { REVENUE_SHARE_KIND } from "@/db/vocabulary";

import { monthOf } from "./period";

export interface ApiEarning {
  contributionId: string;
  title: string;
  /** NWU earned from API use, all months. */
  earned: string;
  /** Paid-plan API reads this month (the next share's weight). */
  readsThisMonth: number;
}

/**
 * A contributor's contributions that earn from API use: NWU earned so far and this month's reads,
 * the most earning first (ties by this month's reads, then id), at most `limit`. One statement: the
 * owner's revenue-share rewards (rewards_user_id_status_idx) and this month's reads of their
 * contributions (the reads' primary key).
 */
export async function apiEarnings(userId: string, limit = 5, at = new Date()): Promise<ApiEarning[]> {
  const rows = await queryRows<{ contribution_id: string; title: string; earned: string; reads: number }>(
    getDb(),
    sql`
      WITH earned AS (
        SELECT contribution_id, sum(amount) AS nwu FROM rewards WHERE user_id = ${userId} AND kind = ${REVENUE_SHARE_KIND} GROUP BY contribution_id
      ), reads AS (
        SELECT r.contribution_id, r.reads FROM contributions c JOIN contribution_reads r ON r.period = ${monthOf(at)}::date AND r.contribution_id = c.id
        WHERE c.user_id = ${userId}
      )
      SELECT c.id AS contribution_id, c.title, trim_scale(coalesce(e.nwu, 0))::text AS earned, coalesce(r.reads, 0)::float8 AS reads
      FROM earned e FULL JOIN reads r ON r.contribution_id = e.contribution_id
      JOIN contributions c ON c.id = coalesce(e.contribution_id, r.contribution_id)
      ORDER BY coalesce(e.nwu, 0) DESC, coalesce(r.reads, 0) DESC, c.id
      LIMIT ${Math.min(Math.max(limit, 1), 50)}`,
  );
  return rows.map((r) => ({ contributionId: r.contribution_id, title: r.title, earned: r.earned, readsThisMonth: Number(r.reads) }));
}
