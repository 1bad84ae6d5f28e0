import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { and, eq, gt, isNull } from "drizzle-orm";

import { getDb, type Db, type Tx } from "@/db/client";
import { demoAccountFor } from "@/db/demo-accounts";
import { sessions, users, type UserRole } from "@/db/schema";
import { getEnv } from "@/lib/config/env";

import { SESSION_COOKIE_NAME } from "./signed-in-flag";

export const SESSION_COOKIE = SESSION_COOKIE_NAME;
/** A used session's expiry is pushed forward at most this often (not a write per request). */
const SLIDE_EVERY_MS = 5 * 60 * 1000;

export interface SessionUser {
  sessionId: string;
  userId: string;
  address: string;
  chainId: number;
  roles: UserRole[];
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function sessionLifetimes(now = new Date()) {
  const env = getEnv();
  const absoluteExpiresAt = new Date(now.getTime() + env.SESSION_MAX_DAYS * 86_400_000);
  const idleMs = env.SESSION_IDLE_HOURS * 3_600_000;
  return { idleMs, absoluteExpiresAt, expiresAt: new Date(Math.min(now.getTime() + idleMs, absoluteExpiresAt.getTime())) };
}

/** Creates a session (inside the sign-in transaction) and returns the cookie token, shown only once. */
export async function createSession(
  tx: Tx,
  input: { userId: string; address: string; chainId: number; userAgent?: string | null; now?: Date },
): Promise<{ token: string; expiresAt: Date; absoluteExpiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const { expiresAt, absoluteExpiresAt } = sessionLifetimes(now);
  await tx.insert(sessions).values({
    id: hashToken(token),
    userId: input.userId,
    address: input.address,
    chainId: input.chainId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    absoluteExpiresAt,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt, absoluteExpiresAt };
}

/**
 * The signed-in user for a cookie token, or null when the session is unknown, revoked, idle past
 * its expiry, past its absolute maximum, or the user is deactivated. One statement; a second
 * (throttled) one slides the idle expiry.
 */
export async function getSessionUser(token: string | undefined | null, now = new Date()): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const db = getDb();
  const id = hashToken(token);
  const [row] = await db
    .select({
      userId: sessions.userId,
      address: sessions.address,
      chainId: sessions.chainId,
      lastSeenAt: sessions.lastSeenAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      roles: users.roles,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.absoluteExpiresAt, now),
        eq(users.isActive, true),
      ),
    );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SLIDE_EVERY_MS) {
    const { idleMs } = sessionLifetimes(now);
    const expiresAt = new Date(Math.min(now.getTime() + idleMs, row.absoluteExpiresAt.getTime()));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  return { sessionId: id, userId: row.userId, address: row.address, chainId: row.chainId, roles: effectiveRoles(row.address, row.roles) };
}

/**
 * Stored roles plus admin for addresses listed in ADMIN_ADDRESSES. Outside demo mode the demo
 * accounts hold no role at all: their private keys are public, whatever the database says.
 */
export function effectiveRoles(address: string, stored: readonly UserRole[]): UserRole[] {
  const env = getEnv();
  if (!env.demoMode && demoAccountFor(address)) return [];
  const roles = new Set<UserRole>(["contributor", ...stored]);
  if (env.ADMIN_ADDRESSES.includes(address.toLowerCase())) roles.add("admin");
  return [...roles];
}

/** Revokes one session; pass the transaction when called inside one (PGlite has a single connection). */
export async function revokeSession(token: string | undefined | null, executor: Db | Tx = getDb(), now = new Date()): Promise<boolean> {
  if (!token || !TOKEN_SHAPE.test(token)) return false;
  const rows = await executor
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, hashToken(token)), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}
