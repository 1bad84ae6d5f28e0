import "server-only";

import { and, asc, eq, isNotNull } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { verifications } from "@/db/schema";

/** One round's ballots, oldest first (a handful per contribution: a decision reads them all); abstentions are no ballots. */
export function ballotsOf(tx: Tx, contributionId: string, round: number) {
  return tx
    .select({ verifierId: verifications.verifierId, score: verifications.voteScore, weight: verifications.weight, subScores: verifications.subScores, reasoning: verifications.reasoning, agentType: verifications.agentType })
    .from(verifications)
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.round, round), isNotNull(verifications.voteScore)))
    .orderBy(asc(verifications.createdAt), asc(verifications.id))
    .then((rows) => rows.map((r) => ({ ...r, score: r.score! })));
}

export type Ballot = Awaited<ReturnType<typeof ballotsOf>>[number];
