"use client";

import { useState } from "react";

import type { ContributionEvent } from "@/lib/events/contribution-event";

import { StatusBadge } from "./status-badge";
import { useContributionEvents } from "./use-contribution-events";

interface Live {
  status: string;
  qualityScore: number | null;
  verificationCount: number;
  reward: string | null;
}

/**
 * Status, score, vote count and reward as the server's event stream tells them, at once; the rest of
 * the page (votes, timeline, verdict) follows through the refresh `useContributionEvents` triggers.
 */
export function LiveStatus({ id, initial, at }: { id: string; initial: Live; at: string }) {
  const [live, setLive] = useState(initial);
  const [connected, setConnected] = useState(false);
  useContributionEvents(id, { status: initial.status, verificationCount: initial.verificationCount, at }, {
    onConnected: setConnected,
    onEvent: (data: ContributionEvent) => setLive((prev) => ({ status: data.status, qualityScore: data.qualityScore, verificationCount: data.verificationCount, reward: data.reward ?? prev.reward })),
  });

  return (
    <dl className="facts" data-testid="live-status" data-connected={connected}>
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={live.status} />
        </dd>
      </div>
      <div>
        <dt>Quality score</dt>
        <dd data-testid="quality-score">{live.qualityScore ?? "—"}</dd>
      </div>
      <div>
        <dt>Votes</dt>
        <dd data-testid="verification-count">{live.verificationCount}</dd>
      </div>
      <div>
        <dt>Reward</dt>
        <dd data-testid="reward">{live.reward ? `${live.reward} NWU` : "—"}</dd>
      </div>
    </dl>
  );
}
