import "server-only";

import { and, asc, eq } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { verifications } from "@/db/schema";

/** One round's ballots, oldest first (a handful per contribution: a decision reads them all). */
export function ballotsOf(tx: Tx, contributionId: string, round: number) {
  return tx
    .select({ verifierId: verifications.verifierId, score: verifications.voteScore, weight: verifications.weight, subScores: verifications.subScores, reasoning: verifications.reasoning, agentType: verifications.agentType })
    .from(verifications)
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.round, round)))
    .orderBy(asc(verifications.createdAt), asc(verifications.id));
}

export type Ballot = Awaited<ReturnType<typeof ballotsOf>>[number];
