"use server";

import { revalidatePath } from "next/cache";

import { validatedAction } from "@/lib/actions/validated-action";
import { castVote } from "@/lib/verification/consensus";
import { humanVoteFields } from "@/lib/verification/schemas";

const SUB_SCORE_FIELDS = ["quality", "originality", "security", "documentation", "utility", "accuracy", "completeness"] as const;

/** Verifier only: one vote on a contribution (never your own; the consensus rules apply). */
export const castVoteAction = validatedAction(humanVoteFields, { role: "verifier" }, async (input, { user }) => {
  const subScores: Record<string, number> = {};
  for (const key of SUB_SCORE_FIELDS) if (input[key] !== undefined) subScores[key] = input[key]!;
  const result = await castVote({
    contributionId: input.contributionId,
    voter: { kind: "human", userId: user.userId },
    voteScore: input.voteScore,
    subScores,
    reasoning: input.reasoning,
  });
  revalidatePath("/verify");
  revalidatePath(`/contributions/${input.contributionId}`);
  return { status: result.status, verificationCount: result.verificationCount, qualityScore: result.qualityScore, decided: result.decided };
});
