"use client";

import { memo, useEffect, useState } from "react";

import { StatusBadge } from "./status-badge";

interface Live {
  status: string;
  qualityScore: number | null;
  verificationCount: number;
  reward: string | null;
}

/**
 * Status, score and vote count that follow the server's event stream. EventSource reconnects by
 * itself after a drop; if the browser gives up (closed), this reopens it with backoff.
 */
export const LiveStatus = memo(function LiveStatus({ id, initial }: { id: string; initial: Live }) {
  const [live, setLive] = useState(initial);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    const open = () => {
      source = new EventSource(`/api/v1/contributions/${id}/events`);
      source.addEventListener("open", () => {
        attempt = 0;
        setConnected(true);
      });
      source.addEventListener("status", (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as Partial<Live> & Omit<Live, "reward">;
        setLive((prev) => ({ status: data.status, qualityScore: data.qualityScore, verificationCount: data.verificationCount, reward: data.reward ?? prev.reward }));
      });
      source.addEventListener("error", () => {
        setConnected(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          retry = setTimeout(open, Math.min(30_000, 1000 * 2 ** attempt++));
        }
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [id]);

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
});
