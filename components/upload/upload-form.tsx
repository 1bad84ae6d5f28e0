"use client";

import { useCallback, type FormEvent } from "react";

import { formatBytes } from "@/lib/format";

import { FileDropzone } from "./file-dropzone";
import { UploadFields } from "./upload-fields";
import { useUpload, type FieldErrors } from "./use-upload";

// One object while there are no errors, so the memoized fields skip progress re-renders.
const NO_ERRORS: FieldErrors = {};

/**
 * Drag-and-drop upload with a real byte progress bar. The server streams the body straight into
 * IPFS, so cancelling aborts cleanly and leaves nothing behind.
 */
export function UploadForm({ maxBytes }: { maxBytes: number }) {
  const { file, state, choose, upload, cancel } = useUpload(maxBytes);
  const fieldErrors = state.phase === "error" ? state.fieldErrors : NO_ERRORS;
  const uploading = state.phase === "uploading";
  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      upload(new FormData(e.currentTarget));
    },
    [upload],
  );

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="upload-form">
      <UploadFields fieldErrors={fieldErrors} disabled={uploading} />
      <FileDropzone file={file} maxBytes={maxBytes} errors={fieldErrors.file} onChoose={choose} />
      {uploading ? <UploadProgress loaded={state.loaded} total={state.total} /> : null}
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
          <button type="button" className="button button-secondary" onClick={cancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function UploadProgress({ loaded, total }: { loaded: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  return (
    <div className="field" data-testid="upload-progress">
      <progress max={total} value={loaded} aria-label="Upload progress" />
      <span aria-live="polite">
        {formatBytes(loaded)} of {formatBytes(total)} · {percent}%
      </span>
    </div>
  );
}
