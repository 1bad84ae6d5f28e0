"use client";

import { memo } from "react";

import { formatBytes } from "@/lib/format";

/** "1 min 20 s", "8 s": how long the rest takes at the current speed. */
function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A row's bar, bytes, percentage, speed and time left. Only this part re-renders on a progress tick. */
export const RowProgress = memo(function RowProgress({ sent, total, rate, paused }: { sent: number; total: number; rate: number | null; paused: boolean }) {
  const percent = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
  const speed = paused ? "paused" : rate !== null && rate > 0 ? `${formatBytes(rate)}/s · ${formatDuration((total - sent) / rate)} left` : "measuring speed…";
  return (
    <div className="row-progress" data-testid="upload-progress">
      <progress max={total} value={sent} aria-label="Upload progress" />
      <span className="muted">
        {formatBytes(sent)} of {formatBytes(total)} · {percent}% · {speed}
      </span>
    </div>
  );
});
