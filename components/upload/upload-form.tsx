"use client";

import { useRouter } from "next/navigation";
import { useCallback, useRef, useState, type DragEvent, type FormEvent } from "react";

import { formatBytes } from "@/lib/format";

type FieldErrors = Record<string, string[]>;
type State =
  | { phase: "idle" }
  | { phase: "uploading"; loaded: number; total: number }
  | { phase: "error"; message: string; fieldErrors: FieldErrors };

/**
 * Drag-and-drop upload with a real byte progress bar. XMLHttpRequest, not fetch: only it reports
 * upload progress. The server streams the body straight into IPFS, so cancelling aborts cleanly
 * and leaves nothing behind.
 */
export function UploadForm({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [state, setState] = useState<State>({ phase: "idle" });
  const xhr = useRef<XMLHttpRequest | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const fieldErrors = state.phase === "error" ? state.fieldErrors : {};

  const choose = useCallback(
    (f: File | undefined) => {
      if (!f) return;
      if (f.size > maxBytes) {
        setState({ phase: "error", message: `This file is ${formatBytes(f.size)}; the limit is ${formatBytes(maxBytes)}.`, fieldErrors: { file: ["Too large"] } });
        return;
      }
      setFile(f);
      setState({ phase: "idle" });
    },
    [maxBytes],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      choose(e.dataTransfer.files[0]);
    },
    [choose],
  );

  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const data = new FormData(e.currentTarget);
      data.delete("file");
      if (!file) {
        setState({ phase: "error", message: "Choose a file to upload.", fieldErrors: { file: ["A file is required"] } });
        return;
      }
      data.append("file", file, file.name);
      const request = new XMLHttpRequest();
      xhr.current = request;
      request.open("POST", "/api/v1/contributions");
      request.responseType = "json";
      request.upload.onprogress = (p) => setState({ phase: "uploading", loaded: p.loaded, total: p.lengthComputable ? p.total : file.size });
      request.onload = () => {
        xhr.current = null;
        const body = request.response as { id?: string; detail?: string; fieldErrors?: FieldErrors; existingId?: string } | null;
        if (request.status === 201 && body?.id) {
          router.push(`/contributions/${body.id}`);
          return;
        }
        const existing = body?.existingId ? ` (see /contributions/${body.existingId})` : "";
        setState({ phase: "error", message: `${body?.detail ?? `Upload failed (${request.status})`}${existing}`, fieldErrors: body?.fieldErrors ?? {} });
      };
      request.onerror = () => {
        xhr.current = null;
        setState({ phase: "error", message: "The connection failed during the upload. Try again.", fieldErrors: {} });
      };
      request.onabort = () => {
        xhr.current = null;
        setState({ phase: "error", message: "Upload cancelled.", fieldErrors: {} });
      };
      setState({ phase: "uploading", loaded: 0, total: file.size });
      request.send(data);
    },
    [file, router],
  );

  const uploading = state.phase === "uploading";
  const percent = uploading && state.total > 0 ? Math.min(100, Math.round((state.loaded / state.total) * 100)) : 0;
  const err = (name: string) =>
    fieldErrors[name]?.length ? (
      <span className="field-error" id={`${name}-error`} role="alert">
        {fieldErrors[name]!.join(" ")}
      </span>
    ) : null;

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="upload-form">
      <div className="field">
        <label htmlFor="title">Title</label>
        <input id="title" name="title" required maxLength={200} aria-invalid={!!fieldErrors.title} aria-describedby="title-error" disabled={uploading} />
        {err("title")}
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea id="description" name="description" rows={4} maxLength={5000} aria-invalid={!!fieldErrors.description} disabled={uploading} />
        {err("description")}
      </div>
      <div className="field">
        <label htmlFor="file_type">Type</label>
        <select id="file_type" name="file_type" defaultValue="code" aria-invalid={!!fieldErrors.file_type} disabled={uploading}>
          <option value="code">Code</option>
          <option value="dataset">Dataset</option>
          <option value="document">Document</option>
        </select>
        {err("file_type")}
      </div>
      <div className="field">
        <label htmlFor="metadata">Metadata (optional JSON object)</label>
        <textarea id="metadata" name="metadata" rows={2} placeholder='{"license": "MIT"}' aria-invalid={!!fieldErrors.metadata} disabled={uploading} />
        {err("metadata")}
      </div>
      <div className="field">
        <span id="file-label">File</span>
        <div
          className="dropzone"
          data-over={over}
          role="button"
          tabIndex={0}
          aria-describedby="file-label file-error"
          onClick={() => input.current?.click()}
          onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && input.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="dropzone"
        >
          {file ? `${file.name} · ${formatBytes(file.size)}` : `Drop a file here or click to choose (up to ${formatBytes(maxBytes)})`}
        </div>
        <input ref={input} type="file" name="file" hidden onChange={(e) => choose(e.target.files?.[0])} data-testid="file-input" />
        {err("file")}
      </div>
      {uploading ? (
        <div className="field" data-testid="upload-progress">
          <progress max={state.total} value={state.loaded} aria-label="Upload progress" />
          <span aria-live="polite">
            {formatBytes(state.loaded)} of {formatBytes(state.total)} · {percent}%
          </span>
        </div>
      ) : null}
      {state.phase === "error" ? (
        <p role="alert" className="error-text" data-testid="upload-error">
          {state.message}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="submit" className="button button-primary" disabled={uploading}>
          Upload
        </button>
        {uploading ? (
          <button type="button" className="button button-secondary" onClick={() => xhr.current?.abort()}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
