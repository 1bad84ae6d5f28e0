"use client";

import { memo } from "react";

import { DESCRIPTION_MAX } from "@/db/vocabulary";
import { Counter } from "./counter";
import { FieldError } from "./field-error";
import type { MetadataDraft } from "./metadata";
import { MetadataEditor } from "./metadata-editor";

type Props = {
  description: string;
  metadata: MetadataDraft;
  errors: { description?: string[]; metadata?: string[] };
  disabled: boolean;
  onDescription: (value: string) => void;
  onMetadata: (value: MetadataDraft) => void;
};

/** Description and metadata, shared by the files sent together. Memoized: progress ticks skip it. */
export const SharedFields = memo(function SharedFields({ description, metadata, errors, disabled, onDescription, onMetadata }: Props) {
  return (
    <>
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea
          id="description"
          rows={4}
          value={description}
          onChange={(e) => onDescription(e.target.value)}
          aria-invalid={!!errors.description}
          aria-describedby="description-hint description-count description-error"
          disabled={disabled}
        />
        <span className="hint" id="description-hint">
          For every file uploaded together.
        </span>
        <Counter id="description-count" length={description.length} max={DESCRIPTION_MAX} />
        <FieldError name="description" errors={errors.description} />
      </div>
      <MetadataEditor value={metadata} errors={errors.metadata} disabled={disabled} onChange={onMetadata} />
    </>
  );
});
