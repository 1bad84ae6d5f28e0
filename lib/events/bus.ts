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
const listeners = new Map<string, Set<Listener>>();

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

function dispatch(payload: string) {
  let event: ContributionEvent;
  try {
    event = JSON.parse(payload) as ContributionEvent;
  } catch {
    return;
  }
  for (const listener of listeners.get(event.id) ?? []) listener(event);
}

let contributionFeed: Promise<unknown> | undefined;

/** Calls `listener` for each committed change of contribution `id`; returns the unsubscribe. */
export async function subscribeContribution(id: string, listener: Listener): Promise<() => void> {
  contributionFeed ??= listenChannel(CONTRIBUTION_CHANNEL, dispatch).catch((error) => {
    contributionFeed = undefined;
    throw error;
  });
  await contributionFeed;
  if (!listeners.has(id)) listeners.set(id, new Set());
  listeners.get(id)!.add(listener);
  return () => {
    const set = listeners.get(id);
    set?.delete(listener);
    if (set?.size === 0) listeners.delete(id);
  };
}
