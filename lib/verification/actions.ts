"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { fileAppeal } from "./appeals";
import { claimNext, skipAssignment } from "./assignments";
import { calibrationFields, markCalibration } from "./calibration";
import { castVote } from "./consensus";
import { moderate } from "./moderation";
import { appealStatement, humanVoteFields } from "./schemas";
import { SUB_SCORE_NAMES } from "./agents/types";

/** Verifier only: one vote on a contribution (never your own; the consensus rules apply). */
export const castVoteAction = validatedAction(humanVoteFields, { role: "verifier" }, async (input, { user }) => {
  const subScores: Record<string, number> = {};
  for (const key of SUB_SCORE_NAMES) if (input[key] !== undefined) subScores[key] = input[key]!;
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

/** Verifier only: the next assignment, drawn at random among open work that needs reviewers. */
export const claimAssignmentAction = validatedAction(z.object({}), { role: "verifier" }, async (_input, { user }) => {
  const result = await claimNext(user.userId);
  revalidatePath("/verify");
  return result;
});

/** Verifier only: give an assignment back to the pool (it is not offered to you again). */
export const skipAssignmentAction = validatedAction(z.object({ assignmentId: z.string().uuid("not an assignment id") }), { role: "verifier" }, async (input, { user }) => {
  await skipAssignment(user.userId, input.assignmentId);
  revalidatePath("/verify");
  return { skipped: input.assignmentId };
});

const moderation = z.object({
  contributionId: z.string().uuid("not a contribution id"),
  reason: z.string().trim().min(3, "Give a reason (3+ characters)").max(1000),
});

function moderationAction(action: "halt" | "pause" | "resume") {
  return validatedAction(moderation, { role: "admin" }, async (input, { user }) => {
    const status = await moderate({ actorId: user.userId, contributionId: input.contributionId, action, reason: input.reason });
    revalidatePath(`/contributions/${input.contributionId}`);
    return { status };
  });
}

/** Admin only: stop a contribution (any status), with a reason. */
export const haltContributionAction = moderationAction("halt");
/** Admin only: hold a contribution still being verified, with a reason. */
export const pauseContributionAction = moderationAction("pause");
/** Admin only: restore what a halt or pause interrupted. */
export const resumeContributionAction = moderationAction("resume");

/** The owner of a rejected contribution: appeal it, once, within APPEAL_WINDOW_DAYS, with a statement. */
export const appealContributionAction = validatedAction(
  z.object({ contributionId: z.string().uuid("not a contribution id"), statement: appealStatement }),
  {},
  async (input, { user }) => {
    const appeal = await fileAppeal({ contributionId: input.contributionId, userId: user.userId, statement: input.statement });
    revalidatePath(`/contributions/${input.contributionId}`);
    return { appealId: appeal.id, status: appeal.status };
  },
);

/** Admin only: make an open contribution a calibration item with its known verdict and score range. */
export const markCalibrationAction = validatedAction(
  calibrationFields.and(z.object({ contributionId: z.string().uuid("not a contribution id") })),
  { role: "admin" },
  async (input, { user }) => {
    await markCalibration({ actorId: user.userId, ...input });
    revalidatePath(`/contributions/${input.contributionId}`);
    revalidatePath("/admin");
    return { calibration: input.contributionId };
  },
);
