import "server-only";

import { sql } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { routedChannel } from "@/lib/events/bus";
import type { EventFeed } from "@/lib/http/sse";

import type { NotificationKind } from "./kinds";

export interface PublicNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** A path in the app (the contribution…), or null. */
  link: string | null;
  /** The decision's reasons (decisions and appeal outcomes), lowest score first; else empty. */
  reasons: { score: number; by: string; reasoning: string }[];
  read_at: string | null;
  created_at: string;
}

/** What the per-user stream sends: the unread count, with the notification that changed it (null for the first frame and for reads). */
export interface InboxEvent {
  unread: number;
  notification: PublicNotification | null;
}

/** One channel for every user's inbox; each instance keeps one LISTEN on it and routes by user id. */
export const NOTIFICATION_CHANNEL = "user_notifications";

/** Inside the writing transaction: heard by the user's streams on every instance once it commits. */
export async function publishNotification(tx: Tx, message: Message): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${JSON.stringify(message)})`);
}

type Listener = (event: InboxEvent) => void;
type Message = InboxEvent & { userId: string };
const subscribeMessages = routedChannel<Message>(NOTIFICATION_CHANNEL, (m) => m.userId);
const subscribe = (userId: string, listener: Listener) => subscribeMessages(userId, ({ userId: _, ...event }) => listener(event));

/**
 * A user's live inbox: the unread count first, then each notification committed for them (by any
 * instance) and each read, with the new count. Subscribed before the count is read, so nothing falls
 * between the two.
 */
export async function inboxEvents(userId: string, unreadCount: () => Promise<number>): Promise<EventFeed<InboxEvent>> {
  const queued: InboxEvent[] = [];
  let push: Listener | undefined;
  const unsubscribe = await subscribe(userId, (event) => (push ? push(event) : queued.push(event)));
  let unread: number;
  try {
    unread = await unreadCount();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return {
    start(send) {
      send({ unread, notification: null });
      for (const event of queued.splice(0)) send(event);
      push = send;
    },
    close: unsubscribe,
  };
}
