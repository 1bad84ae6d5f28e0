import "server-only";

import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";
import { notifications } from "@/db/schema";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import { toPublicNotification } from "./fan-out";
import { publishNotification, type PublicNotification } from "./stream";

/** Unread notifications are counted up to this many (the bell says "99+"). */
export const UNREAD_CAP = 1000;

/** A user's unread count, capped: served by the partial (user_id, created_at, id) WHERE read_at IS NULL index. */
export async function unreadCount(userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    getDb(),
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM notifications WHERE user_id = ${userId} AND read_at IS NULL LIMIT ${UNREAD_CAP}) capped`,
  );
  return Number(row?.n ?? 0);
}

/** A user's inbox, newest first (keyset on created_at, id), optionally unread only; with the unread count. */
export async function listNotifications(userId: string, opts: { unread?: boolean; cursor?: Cursor; limit: number }): Promise<Page<PublicNotification> & { unread: number }> {
  const { where, orderBy } = keyset(notifications.createdAt, notifications.id, opts.cursor ? { createdAt: opts.cursor.createdAt, id: opts.cursor.id } : undefined);
  const rows = await getDb()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      data: notifications.data,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      cursorAt: cursorText(notifications.createdAt),
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), opts.unread ? isNull(notifications.readAt) : undefined, where))
    .orderBy(orderBy)
    .limit(opts.limit + 1);
  const page = toPage(rows, opts.limit, (r) => toPublicNotification({ ...r, read_at: r.readAt, created_at: r.createdAt }));
  return { items: page.items, nextCursor: page.nextCursor, unread: await unreadCount(userId) };
}

/**
 * Marks the user's notifications read — the ones named (others' ids are ignored: no one can touch,
 * or learn of, someone else's), or all — and tells the user's streams the new count. Returns it.
 */
export async function markRead(userId: string, target: { ids: string[] } | { all: true }): Promise<{ updated: number; unread: number }> {
  const updated = await getDb().transaction(async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), "ids" in target ? inArray(notifications.id, target.ids) : undefined))
      .returning({ id: notifications.id });
    if (rows.length > 0) {
      const [c] = await tx.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      await publishNotification(tx, { userId, unread: Number(c?.n ?? 0), notification: null });
    }
    return rows.length;
  });
  return { updated, unread: await unreadCount(userId) };
}
