import { z } from "zod";

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
});

export type Decision = z.output<typeof decisionSchema>;
