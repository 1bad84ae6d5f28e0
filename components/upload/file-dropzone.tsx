"use client";

import { memo, useRef, useState, type DragEvent } from "react";

import { formatBytes } from "@/lib/format";

import { FieldError } from "./field-error";

type Props = { maxBytes: number; errors?: string[]; onChoose: (files: File[]) => void };

/** Drop files or click (Enter, Space) to pick some; each becomes a row of the queue. */
export const FileDropzone = memo(function FileDropzone({ maxBytes, errors, onChoose }: Props) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onChoose([...e.dataTransfer.files]);
  };
  return (
    <div className="field">
      <span id="file-label">Files</span>
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
        Drop files here or click to choose (each up to {formatBytes(maxBytes)})
      </div>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          onChoose([...(e.target.files ?? [])]);
          e.target.value = ""; // the same file can be picked again (to resume it after a removal)
        }}
        data-testid="file-input"
      />
      <FieldError name="file" errors={errors} />
    </div>
  );
});
