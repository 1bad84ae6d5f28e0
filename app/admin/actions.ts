"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";
import { requeueDeadJob } from "@/lib/jobs/queue";
import { createPayoutBatch, retryPayoutBatch } from "@/lib/rewards/payout";
import { GRANTABLE_ROLES, setRole } from "@/lib/users/roles";

const roleChange = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "Must be a wallet address"),
  grant: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
  role: z.enum(GRANTABLE_ROLES).default("verifier"),
  reason: z.string().trim().max(500).optional(),
});

/** Admin only: grant (grant=true) or revoke a role of a user — verifier (the default) or agent. */
export const setVerifierRoleAction = validatedAction(roleChange, { role: "admin" }, async (input, { user }) => {
  const roles = await setRole({ actorId: user.userId, address: input.address, role: input.role, grant: input.grant, reason: input.reason });
  revalidatePath("/admin");
  return { address: input.address.toLowerCase(), roles };
});

/** Admin only: put a dead job back in the queue (its attempts start over). */
export const requeueJobAction = validatedAction(z.object({ id: z.string().uuid() }), { role: "admin" }, async ({ id }) => {
  await requeueDeadJob(id);
  revalidatePath("/admin");
  return { requeued: true };
});

/** Admin only: "Pay pending rewards" — the oldest pending rewards become one payout batch, paid on chain by a job. */
export const payPendingRewardsAction = validatedAction(z.object({}), { role: "admin" }, async (_input, { user }) => {
  const batch = await createPayoutBatch({ actorId: user.userId });
  revalidatePath("/admin");
  return batch;
});

/** Admin only: send a failed payout batch again (the chain is checked first: never paid twice). */
export const retryPayoutBatchAction = validatedAction(z.object({ id: z.string().uuid() }), { role: "admin" }, async ({ id }, { user }) => {
  await retryPayoutBatch({ actorId: user.userId, batchId: id });
  revalidatePath("/admin");
  return { retried: true };
});
