import "server-only";

import { z } from "zod";

import type { Tx } from "@/db/client";
import { events } from "@/db/schema";
import type { EventType } from "@/db/vocabulary";
import { jobKind } from "@/lib/jobs/kind";

import type { EventData } from "./types";

/** Fans recorded events out to webhook deliveries and inboxes (handled in lib/job-runtime, above both). */
export const EVENT_FANOUT_JOB = jobKind("event-fanout", z.object({ eventIds: z.array(z.uuid()).min(1) }));

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  /** The users whose own endpoints hear of it (the owner of the work, the voter…). */
  audience: (string | null | undefined)[];
  data: EventData[T];
}

/**
 * Writes events into the outbox inside the caller's transaction, with the job that fans them out:
 * both exist exactly when the change they report is committed, and neither if it rolls back.
 */
export async function recordEvents(tx: Tx, list: NewEvent[]): Promise<string[]> {
  if (list.length === 0) return [];
  const rows = await tx
    .insert(events)
    .values(list.map((e) => ({ type: e.type, audience: [...new Set(e.audience.filter((a): a is string => !!a))], data: e.data as Record<string, unknown> })))
    .returning({ id: events.id });
  const eventIds = rows.map((r) => r.id);
  await EVENT_FANOUT_JOB.enqueue(tx, { eventIds });
  return eventIds;
}

export async function recordEvent<T extends EventType>(tx: Tx, event: NewEvent<T>): Promise<string> {
  const [id] = await recordEvents(tx, [event as NewEvent]);
  return id!;
}
