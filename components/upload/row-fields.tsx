"use client";

import { memo } from "react";

import { FILE_TYPES, TITLE_MAX, type FileType } from "@/db/vocabulary";
import { acceptedFormats } from "@/lib/formats/sniff";

import type { FieldErrors } from "./checks";
import { Counter } from "./counter";
import { FieldError } from "./field-error";

const TYPE_LABELS: Record<FileType, string> = { code: "Code", dataset: "Dataset", document: "Document" };

type Props = { rowKey: string; title: string; fileType: FileType; errors: FieldErrors; disabled: boolean; onEdit: (key: string, fields: { title?: string; fileType?: FileType }) => void };

/**
 * A queued file's own title and type. Memoized on primitives and a stable `onEdit`: progress ticks
 * of this row or any other leave it alone (the row passes the same `errors` object until an edit).
 */
export const RowFields = memo(function RowFields({ rowKey, title, fileType, errors, disabled, onEdit }: Props) {
  const id = (name: string) => `${name}-${rowKey}`;
  return (
    <div className="row-fields">
      <div className="field">
        <label htmlFor={id("title")}>Title</label>
        <input
          id={id("title")}
          value={title}
          onChange={(e) => onEdit(rowKey, { title: e.target.value })}
          aria-invalid={!!errors.title}
          aria-describedby={`${id("title")}-count ${id("title")}-error`}
          disabled={disabled}
        />
        <Counter id={`${id("title")}-count`} length={title.length} max={TITLE_MAX} />
        <FieldError name={id("title")} errors={errors.title} />
      </div>
      <div className="field">
        <label htmlFor={id("type")}>Type</label>
        <select id={id("type")} value={fileType} onChange={(e) => onEdit(rowKey, { fileType: e.target.value as FileType })} aria-invalid={!!errors.file_type} aria-describedby={`${id("type")}-formats ${id("type")}-error`} disabled={disabled}>
          {FILE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        {disabled ? null : (
          <span className="hint" id={`${id("type")}-formats`}>
            Accepts {acceptedFormats(fileType)}.
          </span>
        )}
        <FieldError name={id("type")} errors={errors.file_type} />
      </div>
    </div>
  );
});
