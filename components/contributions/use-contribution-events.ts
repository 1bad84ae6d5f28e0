"use client";

import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent } from "react";

import type { ContributionEvent } from "@/lib/events/contribution-event";

/** How long a burst of events (votes landing together) is gathered into one refresh. */
const REFRESH_DEBOUNCE_MS = 250;

/**
 * Follows a contribution's event stream and re-renders the page's server components on each change
 * (`router.refresh()`, debounced): votes, timeline, verdict and reward come back rendered for this
 * viewer's own authorization, so nothing sealed ever travels in the stream. The first event is the
 * current state: it refreshes only when it differs from what the page was rendered with (`rendered`),
 * and a reconnect always refreshes (changes may have happened while disconnected). EventSource
 * reconnects by itself after a drop; if the browser gives up (closed), this reopens it with backoff.
 */
export function useContributionEvents(id: string, rendered: { status: string; verificationCount: number; at: string }, handlers: { onEvent?: (e: ContributionEvent) => void; onConnected?: (connected: boolean) => void } = {}) {
  const router = useRouter();
  // Effect events see the latest props, so that a refresh (new props) never reopens the stream.
  const connectedChanged = useEffectEvent((connected: boolean) => handlers.onConnected?.(connected));
  /** Tells the handler; true when the event shows something the page was not rendered with. */
  const received = useEffectEvent((event: ContributionEvent, snapshot: boolean) => {
    handlers.onEvent?.(event);
    return !(snapshot && event.status === rendered.status && event.verificationCount === rendered.verificationCount && event.at === rendered.at);
  });

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let connections = 0;
    let first = true;
    const refresh = () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => router.refresh(), REFRESH_DEBOUNCE_MS);
    };
    const open = () => {
      source = new EventSource(`/api/v1/contributions/${id}/events`);
      source.addEventListener("open", () => {
        attempt = 0;
        connectedChanged(true);
        if (connections++ > 0) refresh();
      });
      source.addEventListener("status", (e) => {
        const event = JSON.parse((e as MessageEvent<string>).data) as ContributionEvent;
        const changed = received(event, first);
        first = false;
        if (changed) refresh();
      });
      source.addEventListener("error", () => {
        connectedChanged(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          retry = setTimeout(open, Math.min(30_000, 1000 * 2 ** attempt++));
        }
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(debounce);
      source?.close();
    };
  }, [id, router]);
}
