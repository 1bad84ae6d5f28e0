import "server-only";

import { eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { auditLog, users, type UserRole } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/**
 * Grants or revokes the verifier role. The row is locked so concurrent grants/revokes serialize,
 * and the change and its audit entry commit together.
 */
export async function setVerifierRole(input: { actorId: string; address: string; grant: boolean; reason?: string }): Promise<UserRole[]> {
  const address = input.address.toLowerCase();
  return getDb().transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, roles: users.roles }).from(users).where(eq(users.address, address)).for("update");
    if (!user) throw new NotFoundError(`No user with address ${input.address}`);
    const had = user.roles.includes("verifier");
    if (had === input.grant) return user.roles;
    const [updated] = await tx
      .update(users)
      .set({
        roles: input.grant ? sql`array_append(${users.roles}, 'verifier'::user_role)` : sql`array_remove(${users.roles}, 'verifier'::user_role)`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, user.id))
      .returning({ roles: users.roles });
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      entityType: "user",
      entityId: user.id,
      action: input.grant ? "role.grant" : "role.revoke",
      details: { role: "verifier", address },
      reason: input.reason ?? null,
    });
    return updated!.roles;
  });
}
