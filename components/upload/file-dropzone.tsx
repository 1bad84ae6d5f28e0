"use client";

import { memo, useRef, useState, type DragEvent } from "react";

import { formatBytes } from "@/lib/format";

import { FieldError } from "./field-error";

type Props = { file: File | null; maxBytes: number; errors?: string[]; onChoose: (file: File | undefined) => void };

/** Drop a file or click (Enter, Space) to pick one; the hidden input is the form's `file` field. */
export const FileDropzone = memo(function FileDropzone({ file, maxBytes, errors, onChoose }: Props) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onChoose(e.dataTransfer.files[0]);
  };
  return (
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
      <input ref={input} type="file" name="file" hidden onChange={(e) => onChoose(e.target.files?.[0])} data-testid="file-input" />
      <FieldError name="file" errors={errors} />
    </div>
  );
});
