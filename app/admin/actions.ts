"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";
import { requeueDeadJob } from "@/lib/jobs/queue";
import { setVerifierRole } from "@/lib/users/roles";

const roleChange = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "Must be a wallet address"),
  grant: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
  reason: z.string().trim().max(500).optional(),
});

/** Admin only: grant (grant=true) or revoke the verifier role of a user. */
export const setVerifierRoleAction = validatedAction(roleChange, { role: "admin" }, async (input, { user }) => {
  const roles = await setVerifierRole({ actorId: user.userId, address: input.address, grant: input.grant, reason: input.reason });
  revalidatePath("/admin");
  return { address: input.address.toLowerCase(), roles };
});

/** Admin only: put a dead job back in the queue (its attempts start over). */
export const requeueJobAction = validatedAction(z.object({ id: z.string().uuid() }), { role: "admin" }, async ({ id }) => {
  await requeueDeadJob(id);
  revalidatePath("/admin");
  return { requeued: true };
});
