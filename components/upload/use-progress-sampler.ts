"use client";

import { useMemo, useRef, type ActionDispatch } from "react";

import type { QueueAction } from "./queue-state";

/** Speed is measured over this window: long enough to be steady, short enough to follow a throttle. */
const WINDOW_MS = 4000;
/** At most this often a row's progress reaches React: tus reports every few KB. */
const TICK_MS = 250;

/**
 * Turns tus progress callbacks into at most four row updates a second, each with the speed over the
 * last few seconds. Samples live in a ref: they are not state, nothing renders them.
 */
export function useProgressSampler(dispatch: ActionDispatch<[QueueAction]>) {
  const samples = useRef(new Map<string, { at: number; sent: number }[]>());
  const lastTick = useRef(new Map<string, number>());
  return useMemo(
    () => ({
      sample(key: string, sent: number, total: number) {
        const now = performance.now();
        const list = (samples.current.get(key) ?? []).filter((s) => now - s.at <= WINDOW_MS && s.sent <= sent);
        list.push({ at: now, sent });
        samples.current.set(key, list);
        if (now - (lastTick.current.get(key) ?? 0) < TICK_MS && sent < total) return;
        lastTick.current.set(key, now);
        const first = list[0]!;
        const elapsed = now - first.at;
        const rate = elapsed >= 500 ? ((sent - first.sent) / elapsed) * 1000 : null;
        dispatch({ type: "set", key, patch: { sent, rate } });
      },
    }),
    [dispatch],
  );
}
