import { stringify } from "csv-stringify/sync";

import type { ColumnKind, ExportColumn } from "./datasets";

/** One row's values in the columns' order, as PostgreSQL rendered them (null: no value). */
export type TextRow = readonly (string | null)[];

/**
 * RFC 4180 through csv-stringify: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF
 * (a lone LF included, which the library's default would leave bare), quotes doubled; a cell starting
 * with = + - @ tab or CR (or a full-width =) is prefixed with ' so a spreadsheet does not run it.
 */
const CSV_OPTIONS = { record_delimiter: "\r\n", quoted_match: /[\r\n]/, escape_formulas: true } as const;

export function csvHeader(columns: readonly ExportColumn[]): string {
  return stringify([columns.map((c) => c.name)], CSV_OPTIONS);
}

export function csvRows(columns: readonly ExportColumn[], rows: readonly TextRow[]): string {
  // Rows are arrays in the columns' order already; csv-stringify writes null as an empty field.
  return stringify(rows as (string | null)[][], CSV_OPTIONS);
}

/** A value for JSON: numbers and booleans as such, JSON as JSON, decimals and times as exact strings. */
function jsonValue(kind: ColumnKind, value: string | null): unknown {
  if (value === null) return null;
  switch (kind) {
    case "int":
      return Number(value);
    case "bool":
      return value === "true";
    case "json":
      return JSON.parse(value) as unknown;
    default:
      return value;
  }
}

export function jsonRow(columns: readonly ExportColumn[], row: TextRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => (out[c.name] = jsonValue(c.kind, row[i] ?? null)));
  return out;
}

/**
 * One row as JSON text, written straight from the database's text (no object per row): PostgreSQL's
 * own renderings of integers, booleans and jsonb are valid JSON already; everything else is a string.
 * The same value as JSON.stringify(jsonRow(...)).
 */
export function jsonRowText(columns: readonly ExportColumn[], row: TextRow): string {
  let out = "{";
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = row[i] ?? null;
    out += `${i ? "," : ""}${JSON.stringify(c.name)}:${v === null ? "null" : c.kind === "int" || c.kind === "bool" || c.kind === "json" ? v : JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/** NDJSON: one JSON object a line, LF-terminated. */
export function ndjsonRows(columns: readonly ExportColumn[], rows: readonly TextRow[]): string {
  let out = "";
  for (const r of rows) out += `${jsonRowText(columns, r)}\n`;
  return out;
}
