import "server-only";

import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { getDb } from "@/db/client";
import { checksum } from "@/lib/checksum";
import { getEnv } from "@/lib/config/env";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

import { createSession, effectiveRoles, revokeSession } from "./sessions";
import { findOrCreateUser, type SignInResult } from "./sign-in";

/**
 * Demo mode's quick role switch: the browser is signed in as the seeded demo account of a role,
 * with no wallet and no signature (their keys are public anyway). It exists only in demo mode:
 * outside it, the demo accounts hold no role and this sign-in is a 404.
 */
const ACCOUNT_OF_ROLE = { admin: "demo-admin", verifier: "demo-verifier-1", contributor: "demo-contributor-1" } as const;

export type DemoRole = keyof typeof ACCOUNT_OF_ROLE;
export const DEMO_ROLES = Object.keys(ACCOUNT_OF_ROLE) as [DemoRole, ...DemoRole[]];

const accountOf = (role: DemoRole) => DEMO_ACCOUNTS.find((a) => a.username === ACCOUNT_OF_ROLE[role])!;

/** Not found unless demo mode is on: callers check it before reading anything else of a request. */
export function assertDemoMode(): void {
  if (!getEnv().demoMode) throw new NotFoundError();
}

/** The demo role accounts' public addresses (checksummed), in role order; none outside demo mode. */
export function demoRoleAccounts(): { role: DemoRole; address: string }[] {
  if (!getEnv().demoMode) return [];
  return DEMO_ROLES.map((role) => ({ role, address: checksum(accountOf(role).address) }));
}

/**
 * Signs in as the role's demo account, the way a SIWE sign-in ends: in one transaction the user is
 * created if the seed did not (with the account's roles), the browser's previous session is
 * revoked and a new one created.
 */
export async function signInAsDemoRole(input: { role: DemoRole; previousToken?: string; userAgent?: string | null }): Promise<SignInResult> {
  assertDemoMode();
  const env = getEnv();
  const account = accountOf(input.role);
  return getDb().transaction(async (tx) => {
    const user = await findOrCreateUser(tx, account.address, [...account.roles]);
    if (!user.isActive) throw new ForbiddenError("This demo account has been deactivated");
    if (input.previousToken) await revokeSession(input.previousToken, tx);
    const session = await createSession(tx, { userId: user.id, address: account.address, chainId: env.SIWE_CHAIN_IDS[0]!, userAgent: input.userAgent });
    return {
      token: session.token,
      absoluteExpiresAt: session.absoluteExpiresAt,
      user: { id: user.id, address: account.address, roles: effectiveRoles(account.address, user.roles) },
    };
  });
}
