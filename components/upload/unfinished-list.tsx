"use client";

import { memo, useState } from "react";

import { formatBytes, formatDateTime } from "@/lib/format";

import type { UnfinishedUpload } from "./queue-state";

/**
 * Uploads the server holds unfinished (a refresh, a closed tab). A browser cannot reopen a file by
 * itself: picking the same file again resumes it (matched by tus-js-client's fingerprint). Cancel
 * deletes it on the server.
 */
export const UnfinishedList = memo(function UnfinishedList({ items, onCancel }: { items: UnfinishedUpload[]; onCancel: (item: UnfinishedUpload) => Promise<void> }) {
  if (items.length === 0) return null;
  return (
    <section className="card unfinished" aria-labelledby="unfinished-title" data-testid="unfinished-uploads">
      <h2 id="unfinished-title">Unfinished uploads</h2>
      <p className="muted">Pick the same file again to resume where it stopped. Each is kept until it expires.</p>
      <ul className="unfinished-list">
        {items.map((item) => (
          <UnfinishedItem key={item.id} item={item} onCancel={onCancel} />
        ))}
      </ul>
    </section>
  );
});

function UnfinishedItem({ item, onCancel }: { item: UnfinishedUpload; onCancel: (item: UnfinishedUpload) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const percent = Math.floor((item.offset / Math.max(1, item.size)) * 100);
  return (
    <li data-testid="unfinished-upload" aria-label={item.fileName}>
      <div className="queue-row-head">
        <strong className="file-name">{item.fileName}</strong>
        <span className="muted">
          “{item.title}” · {item.fileType}
        </span>
      </div>
      <progress max={item.size} value={item.offset} aria-label={`${item.fileName}: ${percent}% uploaded`} />
      <div className="toolbar">
        <span className="muted" data-testid="unfinished-progress">
          {percent}% · {formatBytes(item.offset)} of {formatBytes(item.size)} · expires {formatDateTime(item.expiresAt)}
        </span>
        <button
          type="button"
          className="button button-danger-outline"
          disabled={busy}
          aria-label={`Cancel ${item.fileName}`}
          onClick={() => {
            setBusy(true);
            void onCancel(item).finally(() => setBusy(false));
          }}
        >
          Cancel
        </button>
      </div>
    </li>
  );
}
