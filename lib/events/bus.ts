import "server-only";

import { sql } from "drizzle-orm";

import { getDbHandle, type Tx } from "@/db/client";

/**
 * Contribution status events over PostgreSQL LISTEN/NOTIFY, so an event published by one app
 * instance reaches subscribers on every instance. Publishing happens inside the writing
 * transaction: subscribers hear of a change only once it is committed.
 */
export const CONTRIBUTION_CHANNEL = "contribution_events";

export interface ContributionEvent {
  id: string;
  status: string;
  qualityScore: number | null;
  verificationCount: number;
  at: string;
}

export async function publishContributionEvent(tx: Tx, event: ContributionEvent): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${CONTRIBUTION_CHANNEL}, ${JSON.stringify(event)})`);
}

type Listener = (event: ContributionEvent) => void;
const listeners = new Map<string, Set<Listener>>();
let listening: Promise<void> | undefined;

function dispatch(payload: string) {
  let event: ContributionEvent;
  try {
    event = JSON.parse(payload) as ContributionEvent;
  } catch {
    return;
  }
  for (const listener of listeners.get(event.id) ?? []) listener(event);
}

/** One LISTEN per process, shared by every subscriber (postgres.js re-listens after reconnects). */
function ensureListening(): Promise<void> {
  listening ??= (async () => {
    const handle = getDbHandle();
    if (handle.sql) await handle.sql.listen(CONTRIBUTION_CHANNEL, dispatch);
    else await handle.pglite!.listen(CONTRIBUTION_CHANNEL, dispatch);
  })().catch((error) => {
    listening = undefined;
    throw error;
  });
  return listening;
}

/** Calls `listener` for each committed change of contribution `id`; returns the unsubscribe. */
export async function subscribeContribution(id: string, listener: Listener): Promise<() => void> {
  await ensureListening();
  if (!listeners.has(id)) listeners.set(id, new Set());
  listeners.get(id)!.add(listener);
  return () => {
    const set = listeners.get(id);
    set?.delete(listener);
    if (set?.size === 0) listeners.delete(id);
  };
}
