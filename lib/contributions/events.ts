import "server-only";

import { subscribeContribution, type ContributionEvent } from "@/lib/events/bus";
import { shuttingDown } from "@/lib/lifecycle";

import { getContribution } from "./queries";
import type { ViewerSource } from "./visibility";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

/**
 * Server-Sent Events for one contribution: the current state first, then every committed change
 * (from any app instance, via LISTEN/NOTIFY). Subscribing happens before the state is read, so no
 * change can fall between the two. Browsers reconnect by themselves (`retry`).
 */
export async function contributionEventStream(request: Request, id: string, viewer: ViewerSource): Promise<Response> {
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

  let heartbeat: NodeJS.Timeout | undefined;
  let end: (() => void) | undefined;
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    if (end) shuttingDown.removeEventListener("abort", end);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: ContributionEvent) => {
        try {
          controller.enqueue(encoder.encode(`event: status\ndata: ${JSON.stringify(event)}\n\n`));
        } catch {
          close();
        }
      };
      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      send({ id, status: current.status, qualityScore: current.quality_score, verificationCount: current.verification_count, at: current.updated_at });
      for (const event of queued.splice(0)) send(event);
      push = send;
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch {
          close();
        }
      }, HEARTBEAT_MS);
      end = () => {
        close();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", end);
      // A shutting-down instance ends its streams; browsers reconnect (to another instance) after `retry`.
      if (shuttingDown.aborted) end();
      else shuttingDown.addEventListener("abort", end, { once: true });
    },
    cancel: close,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
