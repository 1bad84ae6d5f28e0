"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer, useRef, type ActionDispatch, type RefObject } from "react";

import { guessType, sniffFile, titleFromName } from "./checks";
import { orNone, queueReducer, rowErrors, type QueueAction, type QueueRow, type UnfinishedUpload } from "./queue-state";
import { refusalFrom, samePath, startUpload, storedUploadUrls, type Finished, type Refusal, type UploadHandle } from "./tus-client";
import { useProgressSampler } from "./use-progress-sampler";

/** Uploads sending at once: the server allows 3 unfinished per user, and one link's bandwidth is shared anyway. */
const PARALLEL = 2;

export type SharedFields = { description: string; metadata: string };
export type QueueActions = ReturnType<typeof useUploadQueue>["actions"];

/** A new row for a picked file: sniffed first, so its type is guessed before anyone edits it. */
async function newRow(file: File, unfinished: UnfinishedUpload[], maxBytes: number): Promise<QueueRow> {
  const mediaType = await sniffFile(file).catch(() => undefined);
  const urls = unfinished.length ? await storedUploadUrls(file).catch(() => []) : [];
  const resumes = unfinished.find((u) => urls.some((url) => samePath(url, u.url)));
  const title = resumes?.title ?? titleFromName(file.name);
  const fileType = resumes?.fileType ?? (mediaType ? guessType(mediaType) : "code");
  const base = { key: crypto.randomUUID(), file, title, fileType, mediaType, sent: resumes?.offset ?? 0, rate: null, resumes };
  // A listed upload's fields were checked when it was created: it continues at once.
  return { ...base, errors: orNone(rowErrors(base, maxBytes)), phase: resumes ? "queued" : "ready" };
}

/** What a refusal does to its row: one refused before any byte went back to editing, others stop. */
function refusedPatch(row: QueueRow | undefined, refusal: Refusal): Partial<QueueRow> {
  const beforeBytes = refusal.status !== undefined && !row?.resumes && (row?.sent ?? 0) === 0;
  const fieldErrors = refusal.fieldErrors && Object.keys(refusal.fieldErrors).length ? refusal.fieldErrors : undefined;
  return { phase: beforeBytes ? "ready" : "failed", message: refusal.message, rate: null, retryable: refusal.status === undefined, ...(fieldErrors ? { errors: fieldErrors } : {}) };
}

/**
 * The upload queue: rows, their tus uploads, and the actions on them. `actions` is one stable object,
 * so memoized rows and field editors are not re-rendered by progress ticks elsewhere.
 */
export function useUploadQueue(maxBytes: number, unfinished: UnfinishedUpload[], onResumed: (id: string) => void) {
  const router = useRouter();
  const [rows, dispatch] = useReducer(useMemo(() => queueReducer(maxBytes), [maxBytes]), []);
  const rowsRef = useRef(rows);
  const handles = useRef(new Map<string, UploadHandle>());
  const payloads = useRef(new Map<string, Record<string, string>>());
  const unfinishedRef = useRef(unfinished);
  const sampler = useProgressSampler(dispatch);
  useEffect(() => {
    rowsRef.current = rows;
    unfinishedRef.current = unfinished;
  });

  const finished = useCallback(
    (key: string, result: Finished | null) => {
      handles.current.delete(key);
      dispatch({ type: "set", key, patch: { phase: "done", result: result ?? undefined, rate: null, sent: rowsRef.current.find((r) => r.key === key)?.file.size ?? 0 } });
      // One file: go to its page, as the upload form always did; with several, each row links to its own.
      if (result && !result.duplicate && rowsRef.current.length === 1) router.push(`/contributions/${result.contributionId}`);
    },
    [router],
  );

  const begin = useCallback(
    async (row: QueueRow) => {
      dispatch({ type: "set", key: row.key, patch: { phase: "uploading", message: undefined } });
      const events = {
        progress: (sent: number, total: number) => sampler.sample(row.key, sent, total),
        finished: (result: Finished | null) => finished(row.key, result),
        failed: (refusal: Refusal) => {
          // A lost connection keeps its tus upload (and URL) to resume; a refusal is final for it.
          if (refusal.status !== undefined) handles.current.delete(row.key);
          dispatch({ type: "set", key: row.key, patch: refusedPatch(rowsRef.current.find((r) => r.key === row.key), refusal) });
        },
      };
      try {
        handles.current.set(row.key, await startUpload(row.file, payloads.current.get(row.key) ?? {}, events, row.resumes?.url));
      } catch (error) {
        events.failed({ message: `The upload could not start: ${(error as Error).message}` });
      }
    },
    [finished, sampler],
  );

  useQueueScheduler(rows, begin);
  useLeaveGuard(rows.some((r) => r.phase === "uploading" || r.phase === "queued"));

  const actions = useQueueActions({ rows: rowsRef, handles, payloads, unfinished: unfinishedRef }, dispatch, begin, maxBytes, onResumed);
  useResumeWhenOnline(rowsRef, actions.resume);

  return { rows, actions };
}

/** The queue's mutable state, read when an action runs (never while rendering). */
interface QueueRefs {
  rows: RefObject<QueueRow[]>;
  handles: RefObject<Map<string, UploadHandle>>;
  payloads: RefObject<Map<string, Record<string, string>>>;
  unfinished: RefObject<UnfinishedUpload[]>;
}

/** The queue's actions: one object per hook, so memoized rows and field editors keep their props. */
function useQueueActions(refs: QueueRefs, dispatch: ActionDispatch<[QueueAction]>, begin: (row: QueueRow) => Promise<void>, maxBytes: number, onResumed: (id: string) => void) {
  const { rows, handles, payloads, unfinished } = refs;
  return useMemo(() => ({
    async add(files: File[]) {
      const added = await Promise.all(files.map((f) => newRow(f, unfinished.current, maxBytes)));
      for (const row of added) if (row.resumes) onResumed(row.resumes.id);
      dispatch({ type: "add", rows: added });
    },
    edit(key: string, fields: { title?: string; fileType?: QueueRow["fileType"] }) {
      dispatch({ type: "edit", key, ...fields });
    },
    /** Checks every row waiting to be sent and the shared fields; queues them only if all pass. */
    submit(shared: SharedFields, sharedValid: boolean): boolean {
      const waiting = rows.current.filter((r) => r.phase === "ready");
      const checked = waiting.map((r) => ({ row: r, errors: orNone(rowErrors(r, maxBytes)) }));
      for (const { row, errors } of checked) dispatch({ type: "set", key: row.key, patch: { errors, message: undefined } });
      if (!sharedValid || checked.some((c) => Object.keys(c.errors).length)) return false;
      for (const { row } of checked) {
        payloads.current.set(row.key, { title: row.title.trim(), description: shared.description, file_type: row.fileType, metadata: shared.metadata, filename: row.file.name });
        dispatch({ type: "set", key: row.key, patch: { phase: "queued" } });
      }
      return true;
    },
    async pause(key: string) {
      await handles.current.get(key)?.pause();
      dispatch({ type: "set", key, patch: { phase: "paused", rate: null } });
    },
    resume(key: string) {
      const handle = handles.current.get(key);
      const row = rows.current.find((r) => r.key === key);
      if (handle) {
        dispatch({ type: "set", key, patch: { phase: "uploading", message: undefined, retryable: false } });
        handle.resume();
      } else if (row) void begin(row);
    },
    /** Stops the upload and deletes what the server holds of it (tus termination), then drops the row. */
    async cancel(key: string) {
      const handle = handles.current.get(key);
      dispatch({ type: "set", key, patch: { phase: "paused", rate: null, message: handle ? "Cancelling…" : undefined } });
      try {
        await handle?.cancel();
      } catch (error) {
        // Kept, with its handle: Cancel again (or Resume) still works on it.
        dispatch({ type: "set", key, patch: { message: `The upload could not be deleted on the server (${refusalFrom(error as Error).message}). Try Cancel again.` } });
        return;
      }
      handles.current.delete(key);
      dispatch({ type: "remove", key });
    },
  }), [rows, handles, payloads, unfinished, dispatch, begin, maxBytes, onResumed]);
}

/** Starts queued rows while fewer than PARALLEL are sending. */
function useQueueScheduler(rows: QueueRow[], begin: (row: QueueRow) => Promise<void>) {
  const started = useRef(new Set<string>());
  useEffect(() => {
    let sending = rows.filter((r) => r.phase === "uploading").length;
    for (const row of rows) {
      if (sending >= PARALLEL) break;
      if (row.phase !== "queued" || started.current.has(row.key)) continue;
      started.current.add(row.key);
      sending++;
      void begin(row).finally(() => started.current.delete(row.key));
    }
  }, [rows, begin]);
}

/** Asks before leaving the page while bytes are still to be sent (the browser shows its own words). */
function useLeaveGuard(busy: boolean) {
  useEffect(() => {
    if (!busy) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ""; // still needed by some browsers to show the prompt
    };
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [busy]);
}

/** A connection that gave up after its retries continues when the browser is back online. */
function useResumeWhenOnline(rows: RefObject<QueueRow[]>, resume: (key: string) => void) {
  useEffect(() => {
    const online = () => {
      for (const row of rows.current) if (row.phase === "failed" && row.retryable) resume(row.key);
    };
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, [rows, resume]);
}
