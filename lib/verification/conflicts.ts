import "server-only";

import { sql, type SQL } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { COLLUSION_HIGH_VOTE, COLLUSION_MIN_EACH_WAY } from "@/db/vocabulary";
import { checksum } from "@/lib/checksum";

/**
 * Conflicts of interest. A verifier is never assigned work of someone they are linked to: their own
 * (same wallet), or a person with whom they have exchanged high votes — each gave the other's work at
 * least COLLUSION_MIN_EACH_WAY revealed votes of COLLUSION_HIGH_VOTE or more (db/vocabulary.ts). Only
 * revealed votes (decided contributions) count: sealed ones say nothing until the decision.
 */

/** High revealed votes `voter` gave to `owner`'s work (both SQL expressions). */
const highVotes = (voter: SQL, owner: SQL) => sql`(SELECT count(*) FROM verifications v JOIN contributions o ON o.id = v.contribution_id
  WHERE v.verifier_id = ${voter} AND o.user_id = ${owner} AND o.decided_at IS NOT NULL AND v.vote_score >= ${COLLUSION_HIGH_VOTE})`;

/** SQL condition on a contribution aliased `c`: its owner and the verifier (an SQL expression) are a flagged pair. */
export const linkedTo = (verifier: SQL): SQL =>
  sql`(${highVotes(verifier, sql`c.user_id`)} >= ${COLLUSION_MIN_EACH_WAY} AND ${highVotes(sql`c.user_id`, verifier)} >= ${COLLUSION_MIN_EACH_WAY})`;

export interface FlaggedPair {
  a: string;
  b: string;
  /** High revealed votes a gave b's work, and back. */
  aToB: number;
  bToA: number;
  /** Mean of those votes, each way. */
  meanAToB: number;
  meanBToA: number;
}

/** The flagged pairs with their evidence, strongest first (one statement, bounded). */
export async function flaggedPairs(limit = 100): Promise<FlaggedPair[]> {
  const rows = await queryRows<{ a: string; b: string; a_to_b: number; b_to_a: number; mean_a_to_b: number; mean_b_to_a: number }>(
    getDb(),
    sql`WITH high AS (
        SELECT v.verifier_id AS voter, o.user_id AS owner, count(*)::int AS n, avg(v.vote_score)::float8 AS mean
        FROM verifications v JOIN contributions o ON o.id = v.contribution_id
        WHERE v.vote_score >= ${COLLUSION_HIGH_VOTE} AND v.verifier_id IS NOT NULL AND o.decided_at IS NOT NULL AND v.verifier_id <> o.user_id
        GROUP BY 1, 2 HAVING count(*) >= ${COLLUSION_MIN_EACH_WAY})
      SELECT ua.address AS a, ub.address AS b, x.n AS a_to_b, y.n AS b_to_a, x.mean AS mean_a_to_b, y.mean AS mean_b_to_a
      FROM high x JOIN high y ON y.voter = x.owner AND y.owner = x.voter AND x.voter < x.owner
      JOIN users ua ON ua.id = x.voter JOIN users ub ON ub.id = x.owner
      ORDER BY x.n + y.n DESC, ua.address, ub.address
      LIMIT ${limit}`,
  );
  return rows.map((r) => ({ a: checksum(r.a), b: checksum(r.b), aToB: r.a_to_b, bToA: r.b_to_a, meanAToB: Math.round(r.mean_a_to_b * 10) / 10, meanBToA: Math.round(r.mean_b_to_a * 10) / 10 }));
}

/** Rings: groups of three or more people joined by flagged pairs (connected components). */
export function ringsOf(pairs: readonly FlaggedPair[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const { a, b } of pairs) parent.set(find(a), find(b));
  const groups = new Map<string, string[]>();
  for (const person of new Set(pairs.flatMap((p) => [p.a, p.b]))) groups.set(find(person), [...(groups.get(find(person)) ?? []), person]);
  return [...groups.values()].filter((g) => g.length >= 3).map((g) => g.sort());
}
