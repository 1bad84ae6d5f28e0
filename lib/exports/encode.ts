import type { ColumnKind, ExportColumn } from "./datasets";

/**
 * The SQL that encodes a keyset page, generated from the dataset's columns. PostgreSQL writes each
 * page as ONE text value (the server forwards it as one chunk: no object or string per row in Node).
 * Every column's expression yields text (or null); in the page's CTE it is `c0`, `c1`, …
 *
 * CSV is RFC 4180: every value quoted, quotes doubled, CRLF after each row; a null is an empty,
 * unquoted field. A cell starting with = + - @ tab or CR (or their full-width forms) is prefixed with '
 * so a spreadsheet does not run it (the same characters csv-stringify's escape_formulas takes).
 */
export const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"] as const;

/** A constant as an SQL string literal (E'' so a tab or CR is written as an escape). */
function literal(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === "'" || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\n") out += "\\n";
    else out += ch;
  }
  return `E'${out}'`;
}

const FORMULA_LIST = FORMULA_STARTS.map(literal).join(", ");

/** One field of a CSV row: `v` is a text column of the page (referenced twice, so a plain column, never an expression). */
const csvField = (v: string) => `COALESCE('"' || replace(CASE WHEN left(${v}, 1) IN (${FORMULA_LIST}) THEN '''' || ${v} ELSE ${v} END, '"', '""') || '"', '')`;

/** The header row: the column names (constants of lowercase words and _, so never quoted). */
export function csvHeader(columns: readonly ExportColumn[]): string {
  for (const c of columns) if (!/^[a-z_][a-z0-9_]*$/.test(c.name)) throw new Error(`export column name ${c.name} is not a plain word`);
  return `${columns.map((c) => c.name).join(",")}\r\n`;
}

/** The text of one CSV row (CRLF-terminated) from the page's columns c0…cN. */
export function csvRowSql(columns: readonly ExportColumn[]): string {
  return `${columns.map((_, i) => csvField(`c${i}`)).join(" || ',' || ")} || E'\\r\\n'`;
}

/**
 * A value for JSON: integers and booleans as such, JSON as JSON (its text kept as PostgreSQL rendered
 * it), decimals and times as exact strings.
 */
function jsonValueSql(kind: ColumnKind, v: string): string {
  switch (kind) {
    case "int":
      return `${v}::numeric`;
    case "bool":
      return `${v}::boolean`;
    case "json":
      return `${v}::json`;
    default:
      return v;
  }
}

/**
 * The JSON text of one row (no line end): an object with the columns' names in their order,
 * written by row_to_json from a lateral row `j` of the page (`FROM page CROSS JOIN LATERAL (…) j`).
 */
export function jsonLateralSql(columns: readonly ExportColumn[]): string {
  return `(SELECT ${columns.map((c, i) => `${jsonValueSql(c.kind, `page.c${i}`)} AS "${c.name}"`).join(", ")}) j`;
}
