import "server-only";

import { and, desc, eq } from "drizzle-orm";

import { getDb } from "@/db/client";
import { users, verifications } from "@/db/schema";
import { before, cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

export interface PublicVerification {
  id: string;
  verifier: string | null;
  agent_id: string | null;
  agent_type: string;
  vote_score: number;
  sub_scores: Record<string, number>;
  reasoning: string;
  created_at: string;
}

/** A contribution's votes, newest first, keyset-paginated: one statement (left join for human verifiers). */
export async function listVerifications(input: { contributionId: string; cursor?: Cursor; limit: number }): Promise<Page<PublicVerification>> {
  const rows = await getDb()
    .select({
      id: verifications.id,
      verifierAddress: users.address,
      agentId: verifications.agentId,
      agentType: verifications.agentType,
      voteScore: verifications.voteScore,
      subScores: verifications.subScores,
      reasoning: verifications.reasoning,
      createdAt: verifications.createdAt,
      cursorAt: cursorText(verifications.createdAt),
    })
    .from(verifications)
    .leftJoin(users, eq(users.id, verifications.verifierId))
    .where(
      and(
        eq(verifications.contributionId, input.contributionId),
        input.cursor ? before(verifications.createdAt, verifications.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(verifications.createdAt), desc(verifications.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => ({
    id: r.id,
    verifier: r.verifierAddress,
    agent_id: r.agentId,
    agent_type: r.agentType,
    vote_score: r.voteScore,
    sub_scores: r.subScores,
    reasoning: r.reasoning,
    created_at: r.createdAt.toISOString(),
  }));
}
