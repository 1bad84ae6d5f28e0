"use client";

import { useState } from "react";

export interface ExportChoice {
  name: string;
  label: string;
  /** The statuses it filters by; null: no status filter. */
  statuses: readonly string[] | null;
}

/** The export's URL for the choices made (empty ones left out). */
export function exportHref(dataset: string, o: { format: string; from: string; to: string; status: string }): string {
  const q = new URLSearchParams({ format: o.format });
  if (o.from) q.set("from", o.from);
  if (o.to) q.set("to", o.to);
  if (o.status) q.set("status", o.status);
  return `/api/v1/admin/exports/${encodeURIComponent(dataset)}?${q}`;
}

/** Dataset, date range, status and format, and the download link they make (the server streams the file). */
export function ExportForm({ datasets }: { datasets: ExportChoice[] }) {
  const [dataset, setDataset] = useState(datasets[0]?.name ?? "");
  const [format, setFormat] = useState("csv");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [status, setStatus] = useState("");
  const chosen = datasets.find((d) => d.name === dataset);
  const statuses = chosen?.statuses ?? null;
  const backwards = from !== "" && to !== "" && from > to;
  const href = exportHref(dataset, { format, from, to, status: statuses?.includes(status) ? status : "" });
  return (
    <form className="card export-form" aria-describedby="export-hint" onSubmit={(e) => e.preventDefault()} data-testid="export-form">
      <div className="export-fields">
        <div className="field">
          <label htmlFor="export-dataset">Dataset</label>
          <select id="export-dataset" value={dataset} onChange={(e) => (setDataset(e.target.value), setStatus(""))}>
            {datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-from">From (UTC day)</label>
          <input id="export-from" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="export-to">To (included)</label>
          <input id="export-to" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} aria-invalid={backwards || undefined} aria-describedby={backwards ? "export-range-error" : undefined} />
        </div>
        <div className="field">
          <label htmlFor="export-status">Status</label>
          <select id="export-status" value={status} onChange={(e) => setStatus(e.target.value)} disabled={!statuses}>
            <option value="">{statuses ? "Any status" : "No status filter"}</option>
            {(statuses ?? []).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field export-format">
          <legend>Format</legend>
          {[
            ["csv", "CSV"],
            ["ndjson", "NDJSON"],
          ].map(([value, label]) => (
            <label key={value}>
              <input type="radio" name="export-format" value={value} checked={format === value} onChange={() => setFormat(value!)} /> {label}
            </label>
          ))}
        </fieldset>
      </div>
      {backwards ? (
        <p id="export-range-error" className="field-error" role="alert">
          The start day is after the end day.
        </p>
      ) : null}
      <p id="export-hint" className="hint">
        Oldest first; every row of the range, streamed (large exports take a while). Votes are the revealed ones only. Each download is recorded in the audit log.
      </p>
      {backwards ? (
        <button type="button" className="button button-primary" disabled>
          Download
        </button>
      ) : (
        <a className="button button-primary" href={href} download data-testid="export-download">
          Download {chosen?.label ?? ""} ({format.toUpperCase()})
        </a>
      )}
    </form>
  );
}
