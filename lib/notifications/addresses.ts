import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { and, eq, isNull, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { notificationEmails } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { ConflictError, NotFoundError } from "@/lib/errors";

import { CONFIRM_EMAIL_JOB } from "./jobs";
import { NOTIFICATION_KINDS, type NotificationKind } from "./kinds";
import { setPreferences } from "./preferences";

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
export const newToken = () => randomBytes(32).toString("base64url");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface PublicEmail {
  address: string;
  confirmed: boolean;
  confirmed_at: string | null;
}

const toPublic = (r: { address: string; confirmedAt: Date | null }): PublicEmail => ({ address: r.address, confirmed: !!r.confirmedAt, confirmed_at: r.confirmedAt?.toISOString() ?? null });

export async function getEmail(userId: string): Promise<PublicEmail | null> {
  const [row] = await getDb().select({ address: notificationEmails.address, confirmedAt: notificationEmails.confirmedAt }).from(notificationEmails).where(eq(notificationEmails.userId, userId));
  return row ? toPublic(row) : null;
}

/** Where mail links point: APP_URL, else the origin the address was added from. */
export const linkBase = (linkOrigin: string) => (getEnv().APP_URL ? new URL(getEnv().APP_URL!).origin : linkOrigin);

/**
 * Sets the user's one address (replacing any other: unconfirmed again) and enqueues its confirmation
 * mail. Refused (409) without SMTP_URL: nothing could be confirmed. The same address again
 * resends the confirmation (still unconfirmed) or changes nothing (confirmed).
 */
export async function addEmail(userId: string, address: string, origin: string): Promise<PublicEmail> {
  if (!getEnv().SMTP_URL) throw new ConflictError("E-mail is not configured on this server (SMTP_URL is unset): the in-app inbox works without it");
  const normalized = address.trim();
  return getDb().transaction(async (tx) => {
    const [current] = await tx.select().from(notificationEmails).where(eq(notificationEmails.userId, userId)).for("update");
    if (current && current.address.toLowerCase() === normalized.toLowerCase() && current.confirmedAt) return toPublic(current);
    const [row] = await tx
      .insert(notificationEmails)
      .values({ userId, address: normalized, unsubscribeToken: newToken(), linkOrigin: origin })
      .onConflictDoUpdate({ target: notificationEmails.userId, set: { address: normalized, confirmedAt: null, confirmTokenHash: null, linkOrigin: origin, updatedAt: sql`now()` } })
      .returning();
    // One confirmation mail per address set (a resend of the same address makes a new job: its key has the time).
    await CONFIRM_EMAIL_JOB.enqueue(tx, { emailId: row!.id, address: normalized }, { dedupeKey: `notification-email-confirm:${row!.id}:${Date.now()}` });
    return toPublic(row!);
  });
}

export async function removeEmail(userId: string): Promise<boolean> {
  const rows = await getDb().delete(notificationEmails).where(eq(notificationEmails.userId, userId)).returning({ id: notificationEmails.id });
  return rows.length > 0;
}

/** Confirms the address whose mail carried `token` (single use). null: unknown or already used. */
export async function confirmEmail(token: string): Promise<PublicEmail | null> {
  if (!TOKEN.test(token)) return null;
  const [row] = await getDb()
    .update(notificationEmails)
    .set({ confirmedAt: sql`now()`, confirmTokenHash: null, updatedAt: sql`now()` })
    .where(and(eq(notificationEmails.confirmTokenHash, tokenHash(token)), isNull(notificationEmails.confirmedAt)))
    .returning({ address: notificationEmails.address, confirmedAt: notificationEmails.confirmedAt });
  return row ? toPublic(row) : null;
}

/** What an unsubscribe link is for: its address and the kind (or every kind). null: no such link. */
export async function unsubscribeTarget(token: string, kind: string | null): Promise<{ userId: string; address: string; kinds: NotificationKind[] } | null> {
  if (!TOKEN.test(token)) return null;
  const kinds = kind === null || kind === "all" ? [...NOTIFICATION_KINDS] : (NOTIFICATION_KINDS as readonly string[]).includes(kind) ? [kind as NotificationKind] : null;
  if (!kinds) return null;
  const [row] = await getDb().select({ userId: notificationEmails.userId, address: notificationEmails.address }).from(notificationEmails).where(eq(notificationEmails.unsubscribeToken, token));
  return row ? { ...row, kinds } : null;
}

/** RFC 8058 one-click: switches that kind's (or every kind's) e-mail off for the link's owner. No session needed: the token is the proof. */
export async function unsubscribe(token: string, kind: string | null): Promise<{ address: string; kinds: NotificationKind[] }> {
  const target = await unsubscribeTarget(token, kind);
  if (!target) throw new NotFoundError("This unsubscribe link is not valid (the address may have been removed)");
  await setPreferences(target.userId, target.kinds.map((k) => ({ kind: k, channel: "email" as const, enabled: false })));
  return { address: target.address, kinds: target.kinds };
}
