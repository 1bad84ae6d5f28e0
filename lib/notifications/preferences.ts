import "server-only";

import { eq, sql } from "drizzle-orm";

import { getDb, type Tx } from "@/db/client";
import { notificationPreferences } from "@/db/schema";

import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from "./kinds";

export type Preferences = Record<NotificationKind, Record<NotificationChannel, boolean>>;

/** Every kind × channel, on unless switched off (e-mail goes out only to a confirmed address anyway). */
export async function getPreferences(userId: string): Promise<Preferences> {
  const rows = await getDb().select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const prefs = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, true]))])) as Preferences;
  for (const r of rows) if (r.kind in prefs && (NOTIFICATION_CHANNELS as readonly string[]).includes(r.channel)) prefs[r.kind as NotificationKind][r.channel as NotificationChannel] = r.enabled;
  return prefs;
}

export type PreferenceChange = { kind: NotificationKind; channel: NotificationChannel; enabled: boolean };

export async function setPreferences(userId: string, changes: PreferenceChange[], tx?: Tx): Promise<Preferences> {
  // The last word on a kind and channel wins (one row each: a statement may not update a row twice).
  const last = [...new Map(changes.map((c) => [`${c.kind}:${c.channel}`, c])).values()];
  if (last.length > 0) {
    await (tx ?? getDb())
      .insert(notificationPreferences)
      .values(last.map((c) => ({ userId, ...c })))
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel], set: { enabled: sql`excluded.enabled`, updatedAt: sql`now()` } });
  }
  return getPreferences(userId);
}
