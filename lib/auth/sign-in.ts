import "server-only";

import { eq, sql } from "drizzle-orm";

import { getDb, type Tx } from "@/db/client";
import { subscriptions, users, type UserRole } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { ForbiddenError } from "@/lib/errors";

import { consumeNonce } from "./nonces";
import { createSession, effectiveRoles, revokeSession } from "./sessions";
import { verifySiwe } from "./siwe";

export interface SignInResult {
  token: string;
  absoluteExpiresAt: Date;
  user: { id: string; address: string; roles: UserRole[] };
}

/**
 * Sign-In With Ethereum: every message field and the signature are checked first; then, in one
 * transaction, the nonce is consumed (exactly once, even under concurrent attempts), the user is
 * created at first sign-in, the previous session of this browser is revoked (rotation), and a new
 * session is created.
 */
export async function signInWithEthereum(input: {
  message: unknown;
  signature: unknown;
  origin: string;
  previousToken?: string;
  userAgent?: string | null;
}): Promise<SignInResult> {
  const env = getEnv();
  const verified = await verifySiwe(input, { domain: new URL(input.origin).host, origin: input.origin, chainIds: env.SIWE_CHAIN_IDS });
  const address = verified.address.toLowerCase();

  return getDb().transaction(async (tx) => {
    await consumeNonce(tx, verified.nonce);
    const user = await findOrCreateUser(tx, address);
    if (!user.isActive) throw new ForbiddenError("This account has been deactivated");
    if (input.previousToken) await revokeSession(input.previousToken, tx);
    const session = await createSession(tx, { userId: user.id, address, chainId: verified.chainId, userAgent: input.userAgent });
    return {
      token: session.token,
      absoluteExpiresAt: session.absoluteExpiresAt,
      user: { id: user.id, address, roles: effectiveRoles(address, user.roles) },
    };
  });
}

/** The user of `address`, created (with `roles`, on the free plan) at first sign-in. */
export async function findOrCreateUser(tx: Tx, address: string, roles?: UserRole[]) {
  const columns = { id: users.id, roles: users.roles, isActive: users.isActive };
  const [created] = await tx.insert(users).values({ address, roles, lastSeenAt: sql`now()` }).onConflictDoNothing({ target: users.address }).returning(columns);
  if (created) {
    // Every account starts on the free plan: usage and quotas always have a subscription to count against.
    await tx.insert(subscriptions).values({ userId: created.id, plan: "free", status: "active" });
    return created;
  }
  const [existing] = await tx.update(users).set({ lastSeenAt: sql`now()` }).where(eq(users.address, address)).returning(columns);
  return existing!;
}
