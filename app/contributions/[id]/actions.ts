"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";
import { moderate } from "@/lib/verification/moderation";

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
