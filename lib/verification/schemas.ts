import { z } from "zod";
import { SUB_SCORE_NAMES, type SubScoreName } from "./agents/types";

const score = z.coerce.number({ error: "must be a number from 0 to 100" }).int("must be a whole number").min(0, "must be 0 to 100").max(100, "must be 0 to 100");

/** POST /api/v1/verifications (agents). */
export const agentVoteBody = z.object({
  contribution_id: z.string().uuid("not a contribution id"),
  agent_id: z.string().trim().min(1).max(100).default("external"),
  vote_score: score,
  sub_scores: z.record(z.string().max(40), score).refine((o) => Object.keys(o).length <= 10, "at most 10 sub-scores").default({}),
  reasoning: z.string().max(5000).default(""),
  details: z.record(z.string(), z.unknown()).default({}),
});

/** A human verifier's vote (server action, form fields). */
export const humanVoteFields = z.object({
  contributionId: z.string().uuid("not a contribution id"),
  voteScore: score,
  reasoning: z.string().trim().min(10, "Explain your vote in a sentence or two (10+ characters)").max(5000),
  // One optional form field per sub-score name.
  ...(Object.fromEntries(SUB_SCORE_NAMES.map((name) => [name, score.optional()])) as Record<SubScoreName, z.ZodOptional<typeof score>>),
});

export const APPEAL_STATEMENT_MAX = 2000;
/** An appeal's statement: why the rejection is wrong. */
export const appealStatement = z
  .string()
  .trim()
  .min(1, "Say why the rejection is wrong")
  .max(APPEAL_STATEMENT_MAX, `At most ${APPEAL_STATEMENT_MAX} characters`);

/** POST /api/v1/contributions/{id}/appeal. */
export const appealBody = z.object({ statement: appealStatement.describe("Why the rejection is wrong (1–2,000 characters)") });
