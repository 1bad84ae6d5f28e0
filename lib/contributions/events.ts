import "server-only";

import { subscribeContribution, type ContributionEvent } from "@/lib/events/bus";
import type { EventFeed } from "@/lib/http/sse";

import { getContribution } from "./queries";
import type { ViewerSource } from "./visibility";

/**
 * One contribution's live status: the current state first, then every committed change (from any
 * app instance, via LISTEN/NOTIFY). Subscribing happens before the state is read, so no change can
 * fall between the two. Sent as Server-Sent Events by lib/http/sse.ts.
 */
export async function contributionEvents(id: string, viewer: ViewerSource): Promise<EventFeed<ContributionEvent>> {
  const queued: ContributionEvent[] = [];
  let push: ((e: ContributionEvent) => void) | undefined;
  const unsubscribe = await subscribeContribution(id, (event) => (push ? push(event) : queued.push(event)));
  let current;
  try {
    current = await getContribution(id, viewer);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return {
    start(send) {
      send({ id, status: current.status, qualityScore: current.quality_score, verificationCount: current.verification_count, at: current.updated_at });
      for (const event of queued.splice(0)) send(event);
      push = send;
    },
    close: unsubscribe,
  };
}
