"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { validatedAction } from "@/lib/actions/validated-action";

import { GRANTABLE_ROLES, setRole } from "./roles";
import { walletAddress } from "@/lib/address";

const roleChange = z.object({
  address: walletAddress("Must be a wallet address"),
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
