"use client";

import Link from "next/link";
import { memo } from "react";

import { LiveBadge } from "@/components/contributions/live-badge";
import { formatBytes } from "@/lib/format";

import type { QueueRow as Row } from "./queue-state";
import { RowFields } from "./row-fields";
import { RowProgress } from "./row-progress";
import type { QueueActions } from "./use-upload-queue";

const PHASE_TEXT: Record<Row["phase"], string> = { ready: "Ready", queued: "Waiting to start", uploading: "Uploading", paused: "Paused", failed: "Stopped", done: "Uploaded" };

/** One queued file: its fields while editable, its progress while sending, its contribution once done. */
export const QueueRow = memo(function QueueRow({ row, actions }: { row: Row; actions: QueueActions }) {
  const sending = row.phase !== "ready" && row.phase !== "done";
  return (
    <li className="queue-row" data-testid="upload-row" data-phase={row.phase} aria-label={row.file.name}>
      <div className="queue-row-head">
        <strong className="file-name">{row.file.name}</strong>
        <span className="muted">
          {formatBytes(row.file.size)} · {PHASE_TEXT[row.phase]}
          {row.resumes ? ` · resumes the unfinished upload from ${Math.floor((row.resumes.offset / Math.max(1, row.resumes.size)) * 100)}%` : ""}
        </span>
      </div>
      <RowFields rowKey={row.key} title={row.title} fileType={row.fileType} errors={row.errors} disabled={row.phase !== "ready"} onEdit={actions.edit} />
      {row.errors.file ? (
        <p className="field-error" role="alert" data-testid="upload-error">
          {row.errors.file.join(" ")}
        </p>
      ) : null}
      {sending ? <RowProgress sent={row.sent} total={row.file.size} rate={row.rate} paused={row.phase !== "uploading"} /> : null}
      {row.message ? (
        <p role="alert" className="error-text" data-testid="upload-error">
          {row.message}
        </p>
      ) : null}
      {row.phase === "done" ? <RowResult result={row.result} /> : null}
      <RowButtons row={row} actions={actions} />
    </li>
  );
});

function RowResult({ result }: { result: Row["result"] }) {
  if (!result) return <p data-testid="upload-done">Uploaded.</p>;
  if (result.duplicate) {
    return (
      <p data-testid="upload-duplicate">
        You uploaded this file before: <Link href={`/contributions/${result.contributionId}`}>see the earlier upload</Link>. Duplicates earn no reward.
      </p>
    );
  }
  return (
    <p data-testid="upload-done" className="toolbar">
      <Link href={`/contributions/${result.contributionId}`}>View the contribution</Link>
      <LiveBadge id={result.contributionId} status="pending" />
    </p>
  );
}

function RowButtons({ row, actions }: { row: Row; actions: QueueActions }) {
  const { key, phase } = row;
  if (phase === "done") return null;
  const name = row.file.name;
  // Nothing is on the server yet (or any more): the row just goes.
  const removes = phase === "ready" || (phase === "failed" && !row.retryable);
  return (
    <div className="toolbar">
      {phase === "uploading" ? (
        <button type="button" className="button button-secondary" onClick={() => void actions.pause(key)} aria-label={`Pause ${name}`}>
          Pause
        </button>
      ) : null}
      {phase === "paused" || (phase === "failed" && row.retryable) ? (
        <button type="button" className="button button-secondary" onClick={() => actions.resume(key)} aria-label={`Resume ${name}`}>
          Resume
        </button>
      ) : null}
      <button type="button" className="button button-danger-outline" onClick={() => void actions.cancel(key)} aria-label={`${removes ? "Remove" : "Cancel"} ${name}`}>
        {removes ? "Remove" : "Cancel"}
      </button>
    </div>
  );
}
