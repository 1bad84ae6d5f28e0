import { z } from "zod";

import { APPEAL_STATUSES } from "@/db/vocabulary";

import { APPEAL_STATEMENT_MAX } from "./schemas";

const score = z.number().min(0).max(100);

/**
 * The decision record kept with a decided contribution (`contributions.decision`) and shown with it:
 * what `aggregate` computed, and the reasons the voters gave, lowest score first.
 */
export const decisionSchema = z.object({
  score: score.describe("The final score: the clipped weighted mean (README \"The final score\")"),
  median: score.describe("The weighted median the votes were clipped toward"),
  weight: z.number().min(0).describe("Summed weight of the votes"),
  clipped: z.int().min(0).describe("How many votes counted as clipped"),
  threshold: score.describe("VERIFICATION_THRESHOLD when it was decided"),
  criteria: z.record(z.string(), score).describe("Per-criterion weighted means of the sub-scores"),
  reasons: z.array(z.object({ agent_type: z.string(), score, reasoning: z.string() })).describe("Each vote's score and reasoning (first 500 characters), lowest first"),
  round: z.int().min(1).max(2).optional().describe("1: the first round's votes; 2: an appeal's panel, whose votes alone decided"),
  owner_reputation_delta: z.number().optional().describe("What the decision moved the contributor's reputation by (an overturning appeal gives a rejection's back)"),
});

export type Decision = z.output<typeof decisionSchema>;

/** An owner's appeal of a rejection, as the contribution's detail shows it (lib/verification/appeals.ts). */
export const appealSchema = z.object({
  id: z.uuid(),
  status: z.enum(APPEAL_STATUSES).describe("open while the fresh panel votes; overturned (now verified) or upheld (rejected for good)"),
  statement: z.string().max(APPEAL_STATEMENT_MAX).describe("The owner's statement"),
  first_score: score.nullable().describe("The first round's score, which the appeal contests"),
  created_at: z.iso.datetime({ offset: true }),
  decided_at: z.iso.datetime({ offset: true }).nullable(),
});

export type PublicAppeal = z.output<typeof appealSchema>;
