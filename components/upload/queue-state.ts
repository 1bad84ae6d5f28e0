import type { FileType } from "@/db/vocabulary";

import { fileErrors, titleErrors, type FieldErrors } from "./checks";
import type { Finished } from "./tus-client";

/** An unfinished upload the server lists (GET /api/v1/uploads, or listUnfinishedUploads on the page). */
export type UnfinishedUpload = { id: string; url: string; fileName: string; title: string; fileType: FileType; size: number; offset: number; createdAt: string; expiresAt: string };

/**
 * One file in the queue. ready: being edited; queued: waiting for a free slot; uploading; paused;
 * failed (the connection gave up, or the server refused on completion); done.
 */
export type RowPhase = "ready" | "queued" | "uploading" | "paused" | "failed" | "done";
export interface QueueRow {
  key: string;
  file: File;
  title: string;
  fileType: FileType;
  /** What the sniffer found in the first 64 KiB; undefined until read. */
  mediaType?: string;
  errors: FieldErrors;
  phase: RowPhase;
  sent: number;
  /** Bytes per second over the last few seconds; null before there are two samples. */
  rate: number | null;
  message?: string;
  /** Stopped by a lost connection (not a refusal): Resume, or the browser coming back online, continues it. */
  retryable?: boolean;
  /** The file continues this listed upload (its fields were sent when it was created). */
  resumes?: UnfinishedUpload;
  result?: Finished;
}

export type QueueAction =
  | { type: "add"; rows: QueueRow[] }
  | { type: "edit"; key: string; title?: string; fileType?: FileType; mediaType?: string }
  | { type: "set"; key: string; patch: Partial<QueueRow> }
  | { type: "remove"; key: string };

/** A row's own errors from its current fields: the file's size and type always, the title as typed. */
export function rowErrors(row: Pick<QueueRow, "file" | "title" | "fileType" | "mediaType">, maxBytes: number): FieldErrors {
  const title = titleErrors(row.title);
  return { ...fileErrors(row.file, row.mediaType, row.fileType, maxBytes), ...(title ? { title } : {}) };
}

const NO_ERRORS: FieldErrors = {};
/** The same empty object for every row without errors, so memoized field editors keep their props. */
export const orNone = (errors: FieldErrors) => (Object.keys(errors).length ? errors : NO_ERRORS);

export function queueReducer(maxBytes: number) {
  return (rows: QueueRow[], action: QueueAction): QueueRow[] => {
    switch (action.type) {
      case "add":
        return [...rows, ...action.rows];
      case "remove":
        return rows.filter((r) => r.key !== action.key);
      case "set":
        return rows.map((r) => (r.key === action.key ? { ...r, ...action.patch } : r));
      case "edit":
        return rows.map((r) => {
          if (r.key !== action.key) return r;
          const next = { ...r, title: action.title ?? r.title, fileType: action.fileType ?? r.fileType, mediaType: action.mediaType ?? r.mediaType };
          // Editing clears a server refusal's message: the next Upload sends the corrected fields.
          return { ...next, errors: orNone(rowErrors(next, maxBytes)), message: r.phase === "ready" ? undefined : r.message };
        });
    }
  };
}
