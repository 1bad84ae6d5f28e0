import "server-only";

import { sql } from "drizzle-orm";

import { getDbHandle, type Tx } from "@/db/client";

import type { ContributionEvent } from "./contribution-event";

/**
 * Contribution status events over PostgreSQL LISTEN/NOTIFY, so an event published by one app
 * instance reaches subscribers on every instance. Publishing happens inside the writing
 * transaction: subscribers hear of a change only once it is committed.
 */
export const CONTRIBUTION_CHANNEL = "contribution_events";

export type { ContributionEvent } from "./contribution-event";

export async function publishContributionEvent(tx: Tx, event: ContributionEvent): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${CONTRIBUTION_CHANNEL}, ${JSON.stringify(event)})`);
}

type Listener = (event: ContributionEvent) => void;

/** Subscribers per channel in this process; one LISTEN per channel, shared by all of them. */
const channels = new Map<string, { callbacks: Set<(payload: string) => void>; ready: Promise<void> }>();

/**
 * Calls `callback` with each payload NOTIFY'd on `channel` by any instance (postgres.js re-listens
 * after reconnects; PGlite notifies within its one process). Returns the unsubscribe.
 */
export async function listenChannel(channel: string, callback: (payload: string) => void): Promise<() => void> {
  let entry = channels.get(channel);
  if (!entry) {
    const callbacks = new Set<(payload: string) => void>();
    const fanOut = (payload: string) => {
      for (const cb of callbacks) cb(payload);
    };
    const handle = getDbHandle();
    const ready = (async () => {
      if (handle.sql) await handle.sql.listen(channel, fanOut);
      else await handle.pglite!.listen(channel, fanOut);
    })();
    entry = { callbacks, ready };
    channels.set(channel, entry);
    ready.catch(() => channels.delete(channel));
  }
  await entry.ready;
  entry.callbacks.add(callback);
  const callbacks = entry.callbacks;
  return () => callbacks.delete(callback);
}

/**
 * A channel whose JSON messages are routed by a key (a contribution id, a user id) to the listeners
 * of that key in this process; the channel's LISTEN starts with the first subscriber. `subscribe`
 * returns the unsubscribe. Unreadable payloads are dropped.
 */
export function routedChannel<M>(channel: string, keyOf: (message: M) => string): (key: string, listener: (message: M) => void) => Promise<() => void> {
  const byKey = new Map<string, Set<(message: M) => void>>();
  let feed: Promise<unknown> | undefined;
  const dispatch = (payload: string) => {
    let message: M;
    try {
      message = JSON.parse(payload) as M;
    } catch {
      return;
    }
    for (const listener of byKey.get(keyOf(message)) ?? []) listener(message);
  };
  return async (key, listener) => {
    feed ??= listenChannel(channel, dispatch).catch((error) => {
      feed = undefined;
      throw error;
    });
    await feed;
    if (!byKey.has(key)) byKey.set(key, new Set());
    byKey.get(key)!.add(listener);
    return () => {
      const set = byKey.get(key);
      set?.delete(listener);
      if (set?.size === 0) byKey.delete(key);
    };
  };
}

/** Calls `listener` for each committed change of contribution `id`; returns the unsubscribe. */
export const subscribeContribution: (id: string, listener: Listener) => Promise<() => void> = routedChannel<ContributionEvent>(CONTRIBUTION_CHANNEL, (e) => e.id);
