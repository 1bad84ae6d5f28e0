"use client";

import { memo } from "react";

import { SPDX_LICENCES } from "@/lib/contributions/licences";

import { FieldError } from "./field-error";
import type { MetadataDraft } from "./metadata";

type Props = { value: MetadataDraft; errors?: string[]; disabled: boolean; onChange: (next: MetadataDraft) => void };

/** A licence picker (SPDX ids) and key/value rows; together they make the `metadata` JSON object. */
export const MetadataEditor = memo(function MetadataEditor({ value, errors, disabled, onChange }: Props) {
  const setPair = (index: number, pair: { key: string; value: string }) => onChange({ ...value, pairs: value.pairs.map((p, i) => (i === index ? pair : p)) });
  return (
    <fieldset className="field metadata-editor" aria-describedby="metadata-error" disabled={disabled}>
      <legend>Metadata (optional)</legend>
      <label htmlFor="license">Licence</label>
      <select id="license" value={value.license} onChange={(e) => onChange({ ...value, license: e.target.value })}>
        <option value="">No licence stated</option>
        {SPDX_LICENCES.map(([id, name]) => (
          <option key={id} value={id}>
            {id} — {name}
          </option>
        ))}
      </select>
      {value.pairs.map((pair, i) => (
        <div className="metadata-pair" key={i} data-testid="metadata-pair">
          <input aria-label={`Key ${i + 1}`} placeholder="key" value={pair.key} onChange={(e) => setPair(i, { ...pair, key: e.target.value })} />
          <input aria-label={`Value ${i + 1}`} placeholder="value" value={pair.value} onChange={(e) => setPair(i, { ...pair, value: e.target.value })} />
          <button type="button" className="button button-secondary" aria-label={`Remove metadata row ${i + 1}`} onClick={() => onChange({ ...value, pairs: value.pairs.filter((_, j) => j !== i) })}>
            ×
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button button-secondary" onClick={() => onChange({ ...value, pairs: [...value.pairs, { key: "", value: "" }] })}>
          Add a key
        </button>
      </div>
      <FieldError name="metadata" errors={errors} />
    </fieldset>
  );
});
