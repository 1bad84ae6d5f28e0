import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { and, count, desc, eq, sql } from "drizzle-orm";

import { getDb, queryRowsPrepared } from "@/db/client";
import { apiKeys, users, type Plan, type UserRole } from "@/db/schema";
import { effectiveRoles } from "@/lib/auth/sessions";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { before, cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";
import { LIVE_SUBSCRIPTION_STATUSES_SQL, currentPlan, planRank } from "@/lib/payments/current-plan";
import { PLANS } from "@/lib/payments/plans";

export const API_SCOPES = ["contributions:read", "contributions:write", "verifications:write", "stats:read", "webhooks:manage", "notifications:manage"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Scopes that only some roles may hold. Votes move money, so only identities an admin made
 * verifiers or agents may vote through a key — checked when the key is created and on every request
 * (a revoked role disables the scope at once).
 */
const SCOPE_ROLES: Partial<Record<ApiScope, readonly UserRole[]>> = { "verifications:write": ["verifier", "agent"] };

export function scopeAllowed(scope: ApiScope, roles: readonly UserRole[]): boolean {
  const needed = SCOPE_ROLES[scope];
  return !needed || needed.some((r) => roles.includes(r));
}

/** The scopes a user with these roles may put on a key. */
export const scopesFor = (roles: readonly UserRole[]): ApiScope[] => API_SCOPES.filter((s) => scopeAllowed(s, roles));

export const scopeRefusal = (scope: ApiScope) => `The ${scope} scope is only for ${SCOPE_ROLES[scope]?.join(" and ")} accounts (granted by an admin)`;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX = "nwu_";
export const KEY_SHAPE = /^nwu_[0-9A-Za-z]{40,48}$/;

/** `nwu_` + 32 random bytes in base62 (≈ 43 characters). */
export function generateKey(): string {
  let n = BigInt(`0x${randomBytes(32).toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return KEY_PREFIX + out.padStart(43, "0");
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export interface PublicApiKey {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string[];
  plan: Plan;
  active: boolean;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/**
 * Creates a key; the full key is returned this once and only its SHA-256 is stored. The user's
 * row is locked so concurrent creations cannot exceed the plan's cap on active keys.
 */
export async function createApiKey(input: { userId: string; name: string; scopes: ApiScope[]; expiresAt?: Date | null }): Promise<{ key: string; apiKey: PublicApiKey }> {
  return getDb().transaction(async (tx) => {
    const [owner] = await tx.select({ address: users.address, roles: users.roles }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!owner) throw new NotFoundError("No such user");
    const roles = effectiveRoles(owner.address, owner.roles);
    const refused = input.scopes.find((scope) => !scopeAllowed(scope, roles));
    if (refused) throw new ForbiddenError(scopeRefusal(refused));
    const plan = await currentPlan(tx, input.userId);
    const [active] = await tx
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, input.userId), eq(apiKeys.active, true)));
    if ((active?.n ?? 0) >= PLANS[plan].maxKeys) {
      throw new ConflictError(`The ${PLANS[plan].name} plan allows ${PLANS[plan].maxKeys} active keys; revoke one or upgrade`);
    }
    const key = generateKey();
    const [row] = await tx
      .insert(apiKeys)
      .values({
        userId: input.userId,
        name: input.name,
        keyHash: hashKey(key),
        prefix: key.slice(0, KEY_PREFIX.length + 6),
        last4: key.slice(-4),
        scopes: [...new Set(input.scopes)],
        plan,
        expiresAt: input.expiresAt ?? null,
      })
      .returning(publicColumns);
    return { key, apiKey: toPublic(row!) };
  });
}

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  last4: apiKeys.last4,
  scopes: apiKeys.scopes,
  plan: apiKeys.plan,
  active: apiKeys.active,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
};

type Row = Pick<typeof apiKeys.$inferSelect, keyof typeof publicColumns>;

function toPublic(r: Row): PublicApiKey {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    last4: r.last4,
    scopes: r.scopes,
    plan: r.plan,
    active: r.active,
    last_used_at: r.lastUsedAt?.toISOString() ?? null,
    expires_at: r.expiresAt?.toISOString() ?? null,
    revoked_at: r.revokedAt?.toISOString() ?? null,
    created_at: r.createdAt.toISOString(),
  };
}

export async function listApiKeys(input: { userId: string; cursor?: Cursor; limit: number }): Promise<Page<PublicApiKey>> {
  const rows = await getDb()
    .select({ ...publicColumns, cursorAt: cursorText(apiKeys.createdAt) })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, input.userId), input.cursor ? before(apiKeys.createdAt, apiKeys.id, input.cursor) : undefined))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, toPublic);
}

/** Revokes one of the user's keys; effective on the very next request (keys are checked per request). */
export async function revokeApiKey(input: { userId: string; id: string }): Promise<void> {
  const rows = await getDb()
    .update(apiKeys)
    .set({ active: false, revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, input.id), eq(apiKeys.userId, input.userId)))
    .returning({ id: apiKeys.id });
  if (rows.length === 0) throw new NotFoundError("No such API key");
}

export interface KeyPrincipal {
  keyId: string;
  userId: string;
  address: string;
  scopes: string[];
  /** The owner's roles now (not when the key was made). */
  roles: UserRole[];
  plan: Plan;
  subscriptionId: string | null;
  /** The live subscription's current billing period, when Stripe has told us one. */
  period: { start: string; end: string } | null;
  /** The primary's WAL position after this key's last write (read-your-writes with replicas). */
  lastWriteLsn: string | null;
}

/** One statement: the key by hash, its owner and their roles, and the owner's live plan. */
export async function authenticateApiKey(key: string): Promise<KeyPrincipal | null> {
  if (!KEY_SHAPE.test(key)) return null;
  const [row] = await queryRowsPrepared<{
    id: string;
    user_id: string;
    address: string;
    roles: UserRole[];
    scopes: string[];
    subscription_id: string | null;
    plan: Plan | null;
    period_start: string | null;
    period_end: string | null;
    last_write_lsn: string | null;
  }>(
    sql`
      SELECT k.id, k.user_id, u.address, u.roles::text[] AS roles, k.scopes, s.id AS subscription_id, s.plan,
        to_json(s.current_period_start) #>> '{}' AS period_start, to_json(s.current_period_end) #>> '{}' AS period_end, k.last_write_lsn
      FROM ${apiKeys} k
      JOIN ${users} u ON u.id = k.user_id AND u.is_active
      LEFT JOIN LATERAL (
        SELECT id, plan, current_period_start, current_period_end FROM subscriptions
        WHERE user_id = k.user_id AND status IN (${LIVE_SUBSCRIPTION_STATUSES_SQL})
        ORDER BY ${planRank(sql.raw("plan"))} DESC LIMIT 1) s ON true
      WHERE k.key_hash = ${hashKey(key)} AND k.active AND (k.expires_at IS NULL OR k.expires_at > now())`,
  );
  if (!row) return null;
  return {
    keyId: row.id,
    userId: row.user_id,
    address: row.address,
    scopes: row.scopes,
    roles: effectiveRoles(row.address, row.roles),
    plan: row.plan ?? "free",
    subscriptionId: row.subscription_id,
    period: row.period_start && row.period_end ? { start: row.period_start, end: row.period_end } : null,
    lastWriteLsn: row.last_write_lsn,
  };
}

/** After a write by this key: the primary's position its next reads wait for (lib/http/read-floor.ts). */
export async function recordKeyWriteFloor(keyId: string, lsn: string | undefined): Promise<void> {
  if (!lsn) return;
  await getDb()
    .update(apiKeys)
    .set({ lastWriteLsn: lsn })
    .where(and(eq(apiKeys.id, keyId), sql`(${apiKeys.lastWriteLsn} IS NULL OR ${apiKeys.lastWriteLsn}::pg_lsn < ${lsn}::pg_lsn)`));
}
