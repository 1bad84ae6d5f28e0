import { ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { readJson, route } from "@/lib/http/route";
import { requireAgent } from "@/lib/verification/agent-auth";
import { castVote } from "@/lib/verification/consensus";
import { agentVoteBody } from "@/lib/verification/schemas";

export const dynamic = "force-dynamic";

/** An AI agent's vote (Bearer AGENT_TOKEN). The same consensus rules as human votes apply. */
export const POST = route(async (request) => {
  requireAgent(request);
  const parsed = agentVoteBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid vote", fieldErrorsFrom(parsed.error.issues));
  const b = parsed.data;
  const result = await castVote({
    contributionId: b.contribution_id,
    voter: { kind: "agent", agentId: b.agent_id, agentType: "external" },
    voteScore: b.vote_score,
    subScores: b.sub_scores,
    reasoning: b.reasoning,
    details: b.details,
  });
  return Response.json(
    { verification_id: result.verificationId, status: result.status, verification_count: result.verificationCount, quality_score: result.qualityScore, decided: result.decided },
    { status: 201 },
  );
});
