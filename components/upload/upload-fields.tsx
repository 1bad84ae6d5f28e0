"use client";

import { memo } from "react";

import { FieldError } from "./field-error";
import type { FieldErrors } from "./use-upload";

/** Title, description, type and metadata. Memoized: progress updates during an upload leave them alone. */
export const UploadFields = memo(function UploadFields({ fieldErrors, disabled }: { fieldErrors: FieldErrors; disabled: boolean }) {
  return (
    <>
      <div className="field">
        <label htmlFor="title">Title</label>
        <input id="title" name="title" required maxLength={200} aria-invalid={!!fieldErrors.title} aria-describedby="title-error" disabled={disabled} />
        <FieldError name="title" errors={fieldErrors.title} />
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea id="description" name="description" rows={4} maxLength={5000} aria-invalid={!!fieldErrors.description} disabled={disabled} />
        <FieldError name="description" errors={fieldErrors.description} />
      </div>
      <div className="field">
        <label htmlFor="file_type">Type</label>
        <select id="file_type" name="file_type" defaultValue="code" aria-invalid={!!fieldErrors.file_type} disabled={disabled}>
          <option value="code">Code</option>
          <option value="dataset">Dataset</option>
          <option value="document">Document</option>
        </select>
        <FieldError name="file_type" errors={fieldErrors.file_type} />
      </div>
      <div className="field">
        <label htmlFor="metadata">Metadata (optional JSON object)</label>
        <textarea id="metadata" name="metadata" rows={2} placeholder='{"license": "MIT"}' aria-invalid={!!fieldErrors.metadata} disabled={disabled} />
        <FieldError name="metadata" errors={fieldErrors.metadata} />
      </div>
    </>
  );
});
