import type { DetailedError, HttpResponse, PreviousUpload } from "tus-js-client";

import type { FieldErrors } from "./checks";

/**
 * The browser's side of the tus endpoint (/api/v1/uploads). tus-js-client is imported on first use
 * only, so it never weighs on any page's first load. It keeps each upload's URL in localStorage under
 * the file's fingerprint (name, type, size, last modified): picking the same file again after a
 * refresh finds it and resumes from the server's offset.
 */
export const UPLOAD_ENDPOINT = "/api/v1/uploads";
/**
 * Absolute: tus-js-client resolves the server's Location (relative here) with `new URL(location,
 * endpoint)`, which throws on a relative endpoint. It is part of the fingerprint too, so one origin
 * always gives the same one.
 */
const endpoint = () => new URL(UPLOAD_ENDPOINT, window.location.origin).toString();
// 8 MiB chunks: a dropped connection costs at most one chunk, and each PATCH stays well under proxies' limits.
const CHUNK_BYTES = 8 * 1024 * 1024;
// Retries with backoff cover a network drop of about three minutes; after that the row offers Resume.
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 10_000, 20_000, 30_000, 30_000, 60_000];

export type Finished = { contributionId: string; duplicate: boolean };
/** Why an upload stopped: the server's problem details, or no answer at all (`status` undefined). */
export type Refusal = { status?: number; message: string; fieldErrors?: FieldErrors };
export type UploadHandle = { pause: () => Promise<void>; resume: () => void; cancel: () => Promise<void> };
export interface UploadEvents {
  progress: (sent: number, total: number) => void;
  finished: (result: Finished | null) => void;
  failed: (refusal: Refusal) => void;
}

let loading: Promise<typeof import("tus-js-client")> | undefined;
const loadTus = () => (loading ??= import("tus-js-client"));

/** Same-origin URLs compared by path: the server's list may give them absolute or relative. */
export const samePath = (a: string | null, b: string) => !!a && new URL(a, window.location.origin).pathname === new URL(b, window.location.origin).pathname;

function finishedFrom(res: HttpResponse): Finished | null {
  const id = res.getHeader("Upload-Contribution-Id");
  return id ? { contributionId: id, duplicate: res.getHeader("Upload-Duplicate") === "true" } : null;
}

const STATUS_TEXT: Record<number, string> = {
  401: "You are signed out. Sign in again, then pick the file again to resume.",
  413: "This file is over the size limit, or over the bytes you may have waiting in unfinished uploads.",
  415: "The server did not accept this file for its type.",
  429: "You have too many unfinished uploads. Finish or cancel one first.",
};

/** The problem details' `detail` (RFC 9457) and field errors, or words for a lost connection. */
export function refusalFrom(error: Error): Refusal {
  const res = (error as DetailedError).originalResponse;
  if (!res || res.getStatus() === 0) return { message: "The connection was lost and the retries ran out. Resume continues from where it stopped." };
  const status = res.getStatus();
  let body: { detail?: string; fieldErrors?: FieldErrors } = {};
  try {
    body = JSON.parse(res.getBody()) as typeof body;
  } catch {
    // not problem JSON (a proxy's page): the status says enough
  }
  return { status, message: body.detail ?? STATUS_TEXT[status] ?? `The upload failed (HTTP ${status}).`, fieldErrors: body.fieldErrors };
}

/** The stored upload URLs for this file (tus-js-client's own fingerprint and storage). */
export async function storedUploadUrls(file: File): Promise<string[]> {
  const tus = await loadTus();
  const fingerprint = await tus.defaultOptions.fingerprint(file, { endpoint: endpoint() });
  const found = await tus.defaultOptions.urlStorage.findUploadsByFingerprint(fingerprint);
  return found.flatMap((p) => (p.uploadUrl ? [p.uploadUrl] : []));
}

/** Forgets a cancelled upload's stored URL, so that picking its file again starts afresh without a 404 first. */
export function forgetStoredUrl(url: string) {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (!key?.startsWith("tus::")) continue;
    try {
      if (samePath((JSON.parse(localStorage.getItem(key) ?? "{}") as PreviousUpload).uploadUrl, url)) localStorage.removeItem(key);
    } catch {
      // someone else's entry
    }
  }
}

/** The stored upload to continue: the one the server listed (`resumeUrl`), else the newest. */
function pickPrevious(previous: PreviousUpload[], resumeUrl?: string): PreviousUpload | undefined {
  if (resumeUrl) {
    const listed = previous.find((p) => samePath(p.uploadUrl, resumeUrl));
    if (listed) return listed;
  }
  return [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
}

/**
 * Starts (or resumes) one upload. The contribution's id arrives on the final PATCH, or on the HEAD
 * of an upload that had already finished; both pass through onAfterResponse.
 */
export async function startUpload(file: File, metadata: Record<string, string>, on: UploadEvents, resumeUrl?: string): Promise<UploadHandle> {
  const tus = await loadTus();
  let finished: Finished | null = null;
  // Resolved once the creation POST has answered (or failed): see cancel below.
  let created!: () => void;
  const creation = new Promise<void>((resolve) => (created = resolve));
  const upload = new tus.Upload(file, {
    endpoint: endpoint(),
    metadata,
    chunkSize: CHUNK_BYTES,
    retryDelays: RETRY_DELAYS,
    removeFingerprintOnSuccess: true,
    onProgress: on.progress,
    onUploadUrlAvailable: () => created(),
    onAfterResponse: (_req, res) => {
      finished = finishedFrom(res) ?? finished;
    },
    onSuccess: ({ lastResponse }) => on.finished(finishedFrom(lastResponse) ?? finished),
    onError: (error) => {
      created();
      on.failed(refusalFrom(error));
    },
  });
  const previous = pickPrevious(await upload.findPreviousUploads(), resumeUrl);
  if (previous) upload.resumeFromPreviousUpload(previous);
  upload.start();
  return {
    pause: () => upload.abort(),
    resume: () => upload.start(),
    // Cancelled while the creation POST is in flight, the server would keep an upload whose URL
    // the aborted request never told: wait for its answer (a few seconds at most), then delete it.
    cancel: async () => {
      if (!upload.url) await Promise.race([creation, new Promise((r) => setTimeout(r, 10_000))]);
      await upload.abort(true);
    },
  };
}

/** Cancels an upload listed by the server (no file picked): DELETE per tus termination. 404: already gone. */
export async function terminateUpload(url: string): Promise<boolean> {
  const res = await fetch(url, { method: "DELETE", headers: { "Tus-Resumable": "1.0.0" } });
  forgetStoredUrl(url);
  return res.ok || res.status === 404;
}
