import "server-only";

import { eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { auditLog, users, type UserRole } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/** Roles an admin grants from the console (admin itself comes from ADMIN_ADDRESSES). */
export const GRANTABLE_ROLES = ["verifier", "agent"] as const satisfies readonly UserRole[];
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/**
 * Grants or revokes a role (verifier, or agent: an external agent's account that may vote through
 * its API keys). The row is locked so concurrent grants/revokes serialize, and the change and its
 * audit entry commit together.
 */
export async function setRole(input: { actorId: string; address: string; role: GrantableRole; grant: boolean; reason?: string }): Promise<UserRole[]> {
  const address = input.address.toLowerCase();
  return getDb().transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, roles: users.roles }).from(users).where(eq(users.address, address)).for("update");
    if (!user) throw new NotFoundError(`No user with address ${input.address}`);
    const had = user.roles.includes(input.role);
    if (had === input.grant) return user.roles;
    const [updated] = await tx
      .update(users)
      .set({
        roles: input.grant ? sql`array_append(${users.roles}, ${input.role}::user_role)` : sql`array_remove(${users.roles}, ${input.role}::user_role)`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, user.id))
      .returning({ roles: users.roles });
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      entityType: "user",
      entityId: user.id,
      action: input.grant ? "role.grant" : "role.revoke",
      details: { role: input.role, address },
      reason: input.reason ?? null,
    });
    return updated!.roles;
  });
}
