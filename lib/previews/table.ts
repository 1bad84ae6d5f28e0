import type { TableColumn, TablePreview } from "./schema";

/**
 * Tabular previews (CSV, TSV, NDJSON, JSON arrays of objects): the first page of rows, and for each
 * column its inferred type, null count and a summary (min/max/mean for numbers, top values for text)
 * over a bounded sample — labelled with how many rows and bytes it covers.
 */

export const PAGE_ROWS = 100;
/** Rows the column statistics look at, at most. */
export const SAMPLE_ROWS = 10_000;
const MAX_COLUMNS = 100;
const MAX_CELL = 200;
const TOP_VALUES = 5;
const NULLS = new Set(["", "na", "n/a", "null", "none", "nan", "-"]);
const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** RFC 4180 records: quoted fields may hold the delimiter, quotes ("") and line breaks. The last record is dropped when the text was cut. */
export function parseDelimited(text: string, delimiter: string, complete: boolean, maxRecords: number): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== "") records.push(record);
    record = [];
    field = "";
  };
  while (i < text.length && records.length < maxRecords) {
    const ch = text[i]!;
    let step = 1;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        step = 2;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      endRecord();
      if (ch === "\r" && text[i + 1] === "\n") step = 2;
    } else field += ch;
    i += step;
  }
  if (i >= text.length && complete && (field !== "" || record.length > 0)) endRecord();
  return records;
}

type Kind = TableColumn["type"];

function kindOf(value: string): Kind | "null" {
  const v = value.trim();
  if (NULLS.has(v.toLowerCase())) return "null";
  if (INTEGER.test(v)) return "integer";
  if (NUMBER.test(v)) return "number";
  if (BOOLEAN.test(v)) return "boolean";
  if (DATE.test(v)) return "date";
  return "string";
}

/** The narrowest type every non-null value fits (integer ⊂ number; anything mixed is string). */
function widen(a: Kind | null, b: Kind): Kind {
  if (a === null || a === b) return b;
  if ((a === "integer" && b === "number") || (a === "number" && b === "integer")) return "number";
  return "string";
}

function summarize(name: string, values: string[]): TableColumn {
  let type: Kind | null = null;
  let nulls = 0;
  for (const v of values) {
    const k = kindOf(v);
    if (k === "null") nulls++;
    else type = widen(type, k);
  }
  const present = values.filter((v) => kindOf(v) !== "null").map((v) => v.trim());
  const column: TableColumn = { name, type: type ?? "string", nulls, non_null: present.length };
  if (type === "integer" || type === "number") {
    const numbers = present.map(Number);
    column.min = Math.min(...numbers);
    column.max = Math.max(...numbers);
    column.mean = Math.round((numbers.reduce((s, n) => s + n, 0) / numbers.length) * 1e6) / 1e6;
  } else if (present.length) {
    const counts = new Map<string, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    column.distinct = counts.size;
    column.top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_VALUES)
      .map(([value, count]) => ({ value: value.slice(0, MAX_CELL), count }));
  }
  return column;
}

/** A cell of any decoded value as text (bigints, dates, nested values as JSON), bounded. */
export const cellText = (v: unknown): string =>
  (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) : String(v)).slice(0, MAX_CELL);

/** A table from a header and rows of any values (text, numbers, bigints, dates, nested values as JSON). */
export function fromRecords(header: string[], records: unknown[][], o: { sampleBytes: number; truncated: boolean; format: TablePreview["format"] }): TablePreview {
  const body = records.map((r) => r.map(cellText));
  const names = header.slice(0, MAX_COLUMNS).map((h, i) => h.trim() || `column ${i + 1}`);
  const sample = body.slice(0, SAMPLE_ROWS);
  const columns = names.map((name, j) => summarize(name, sample.map((r) => r[j] ?? "")));
  return {
    kind: "table",
    format: o.format,
    columns,
    rows: body.slice(0, PAGE_ROWS).map((r) => names.map((_, j) => r[j] ?? "")),
    sample: { rows: sample.length, bytes: o.sampleBytes, whole_file: !o.truncated && body.length <= SAMPLE_ROWS },
    truncated: o.truncated || body.length > PAGE_ROWS,
  };
}

/** A delimited text's table: the first record is the header. */
export function delimitedTable(text: string, delimiter: string, o: { complete: boolean; format: "csv" | "tsv" }): TablePreview {
  const [header = [], ...body] = parseDelimited(text.replace(/^\uFEFF/, ""), delimiter, o.complete, SAMPLE_ROWS + 1);
  return fromRecords(header, body, { sampleBytes: text.length, truncated: !o.complete, format: o.format });
}

/** NDJSON (one object a line) or a JSON array of objects: the columns are the keys, in order of first appearance. */
export function jsonTable(text: string, o: { complete: boolean; ndjson: boolean }): TablePreview | null {
  let objects: Record<string, unknown>[];
  if (o.ndjson) {
    const lines = text.split("\n");
    if (!o.complete) lines.pop(); // possibly cut
    objects = [];
    for (const line of lines.slice(0, SAMPLE_ROWS)) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === "object" && !Array.isArray(v)) objects.push(v as Record<string, unknown>);
      } catch {
        // a malformed line is not a row
      }
    }
  } else {
    if (!o.complete) return null;
    try {
      const v = JSON.parse(text) as unknown;
      if (!Array.isArray(v) || !v.every((x) => x && typeof x === "object" && !Array.isArray(x))) return null;
      objects = v as Record<string, unknown>[];
    } catch {
      return null;
    }
  }
  if (objects.length === 0) return null;
  const keys = [...new Set(objects.slice(0, SAMPLE_ROWS).flatMap((x) => Object.keys(x)))].slice(0, MAX_COLUMNS);
  return fromRecords(keys, objects.map((x) => keys.map((k) => x[k])), { sampleBytes: text.length, truncated: !o.complete, format: o.ndjson ? "ndjson" : "json" });
}
