import { apiRoute } from "@/lib/api/principal";
import { UnauthorizedError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { readJson, route } from "@/lib/http/route";
import { isAgentTokenRequest, requireAgent } from "@/lib/verification/agent-auth";
import { castVote, type Voter } from "@/lib/verification/consensus";
import { agentVoteBody } from "@/lib/verification/schemas";

export const dynamic = "force-dynamic";

async function submit(request: Request, voterOf: (bodyAgentId: string) => Voter): Promise<Response> {
  const parsed = agentVoteBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid vote", fieldErrorsFrom(parsed.error.issues));
  const b = parsed.data;
  const result = await castVote({
    contributionId: b.contribution_id,
    voter: voterOf(b.agent_id),
    voteScore: b.vote_score,
    subScores: b.sub_scores,
    reasoning: b.reasoning,
    details: b.details,
  });
  return Response.json(
    { verification_id: result.verificationId, status: result.status, verification_count: result.verificationCount, quality_score: result.qualityScore, decided: result.decided, commitment: result.commitment, salt: result.salt },
    { status: 201 },
  );
}

// The configured agent token names its agent in the body. A key votes as its owner — every key of
// one person is one voter — and only verifier/agent accounts may hold the scope (apiRoute checks).
const withAgentToken = route(async (request) => {
  requireAgent(request);
  return submit(request, (agentId) => ({ kind: "agent", agentId, agentType: "external" }));
});
const withApiKey = apiRoute({ scope: "verifications:write", allow: "key-only" }, async (request, _ctx, principal) => {
  if (principal.kind !== "key") throw new UnauthorizedError("An API key is required");
  const { userId, keyId, roles } = principal.key;
  // An account an admin designated an agent votes without assignments; a verifier's key votes on what they were assigned.
  return submit(request, () => ({ kind: "key", userId, keyId, agent: roles.includes("agent") }));
});

/** An AI agent's vote: `Bearer <AGENT_TOKEN>` or an API key with `verifications:write`. Consensus rules apply. */
export function POST(request: Request, context: unknown): Promise<Response> {
  return isAgentTokenRequest(request) ? withAgentToken(request, context) : withApiKey(request, context);
}
