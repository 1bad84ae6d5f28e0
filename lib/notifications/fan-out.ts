import "server-only";

import { and, inArray, isNotNull, sql } from "drizzle-orm";

import { queryRows, type Tx } from "@/db/client";
import { events, notificationEmails, notificationPreferences } from "@/db/schema";
import { getEnv } from "@/lib/config/env";

import { compose, contextFor, type Reason } from "./compose";
import { NOTIFICATION_EMAIL_JOB } from "./jobs";
import { KIND_OF_EVENT, type NotificationKind } from "./kinds";
import { publishNotification, type PublicNotification } from "./stream";

type Inserted = { id: string; user_id: string; event_id: string; kind: string; title: string; body: string; link: string | null; data: Record<string, unknown>; created_at: Date | string };

/**
 * The inbox side of the outbox's fan-out, in the fan-out's transaction: one notification per (user,
 * event) for the events that concern people (kinds.ts), to the event's audience. Idempotent: unique
 * per user and event, so a rerun adds nothing, publishes nothing and enqueues no mail. Each new
 * notification is published (pg_notify, heard once committed) with its user's unread count; a mail
 * is enqueued (one job per user and event, deduplicated) when SMTP_URL is set, the user confirmed an
 * address and left that kind's e-mail on. A kind switched off in-app is not written to the inbox.
 */
export async function notifyFor(tx: Tx, eventIds: string[]): Promise<number> {
  const rows = await tx.select({ id: events.id, type: events.type, audience: events.audience, data: events.data }).from(events).where(inArray(events.id, eventIds));
  const wanted = rows.filter((r) => KIND_OF_EVENT[r.type as keyof typeof KIND_OF_EVENT] && r.audience.length > 0);
  if (wanted.length === 0) return 0;
  const users = [...new Set(wanted.flatMap((r) => r.audience))];
  const prefs = await tx
    .select({ userId: notificationPreferences.userId, kind: notificationPreferences.kind, channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, users));
  const off = new Set(prefs.filter((p) => !p.enabled).map((p) => `${p.userId}:${p.kind}:${p.channel}`));
  const smtp = !!getEnv().SMTP_URL;
  const mailable = smtp
    ? new Set(
        (await tx.select({ userId: notificationEmails.userId }).from(notificationEmails).where(and(inArray(notificationEmails.userId, users), isNotNull(notificationEmails.confirmedAt)))).map((r) => r.userId),
      )
    : new Set<string>();
  const ctx = await contextFor(tx, wanted);

  const values: { userId: string; eventId: string; kind: NotificationKind; title: string; body: string; link: string | null; data: Record<string, unknown>; inApp: boolean; email: boolean }[] = [];
  for (const event of wanted) {
    const kind = KIND_OF_EVENT[event.type as keyof typeof KIND_OF_EVENT]!;
    const text = compose(kind, event, ctx);
    for (const userId of event.audience) {
      const inApp = !off.has(`${userId}:${kind}:in_app`);
      const email = mailable.has(userId) && !off.has(`${userId}:${kind}:email`);
      if (inApp || email) values.push({ userId, eventId: event.id, kind, ...text, inApp, email });
    }
  }
  // E-mail first: its job carries what to say, so a kind switched off in-app still mails. The dedupe
  // key (per user and event) makes a rerun enqueue nothing.
  for (const v of values) {
    if (v.email) {
      await NOTIFICATION_EMAIL_JOB.enqueue(
        tx,
        { userId: v.userId, eventId: v.eventId, kind: v.kind, title: v.title, body: v.body, link: v.link, reasons: (v.data.reasons as Reason[] | undefined) ?? [] },
        { dedupeKey: `notification-email:${v.userId}:${v.eventId}` },
      );
    }
  }
  const inApp = values.filter((v) => v.inApp);
  if (inApp.length === 0) return 0;
  // One statement for the batch; rows already there (a rerun) are not returned: nothing is published twice.
  const inserted = await queryRows<Inserted>(
    tx,
    sql`INSERT INTO notifications (user_id, event_id, kind, title, body, link, data)
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(inApp.map((v) => ({ user_id: v.userId, event_id: v.eventId, kind: v.kind, title: v.title, body: v.body, link: v.link, data: v.data })))}::jsonb)
        AS x(user_id uuid, event_id uuid, kind text, title text, body text, link text, data jsonb)
      ON CONFLICT (user_id, event_id) DO NOTHING
      RETURNING id, user_id, event_id, kind, title, body, link, data, created_at`,
  );
  if (inserted.length === 0) return 0;
  const counts = await unreadCounts(tx, [...new Set(inserted.map((r) => r.user_id))]);
  for (const row of inserted) await publishNotification(tx, { userId: row.user_id, unread: counts.get(row.user_id) ?? 0, notification: toPublicNotification({ ...row, read_at: null }) });
  return inserted.length;
}

async function unreadCounts(tx: Tx, userIds: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ user_id: string; n: number }>(
    tx,
    sql`SELECT user_id, count(*)::int AS n FROM notifications WHERE user_id = ANY(${sql.raw("ARRAY[")}${sql.join(userIds.map((id) => sql`${id}::uuid`), sql`, `)}${sql.raw("]")}) AND read_at IS NULL GROUP BY user_id`,
  );
  return new Map(rows.map((r) => [r.user_id, r.n]));
}

export function toPublicNotification(r: { id: string; kind: string; title: string; body: string; link: string | null; data: Record<string, unknown>; read_at: Date | string | null; created_at: Date | string }): PublicNotification {
  const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
  return { id: r.id, kind: r.kind as NotificationKind, title: r.title, body: r.body, link: r.link, reasons: (r.data.reasons as PublicNotification["reasons"]) ?? [], read_at: r.read_at ? iso(r.read_at) : null, created_at: iso(r.created_at) };
}
