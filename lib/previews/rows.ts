import "server-only";

import { NotFoundError } from "@/lib/errors";

import { arrowRecords } from "./arrow";
import { storedReader, type StoredFile } from "./contribution-preview";
import { parquetRecords } from "./parquet";
import { sqliteTables } from "./sqlite";
import { BudgetExceededError, UnreadableError, type RangeReader } from "./reader";
import type { RowsAnswer } from "./schema";
import { PAGE_ROWS, cellText, parseDelimited } from "./table";

/**
 * A tabular file's rows, a page of PAGE_ROWS at a time from `offset`: Parquet by its footer and the
 * pages holding those rows (any offset); Arrow by its batches in order; SQLite's first table by its
 * b-tree from the start; CSV/TSV/NDJSON/JSON parsed
 * from the start within the preview's reading budget — rows past it are not served, and the answer
 * says so. Columns are the preview's. Nothing is stored.
 */
export type RowsPage = Omit<RowsAnswer, "contribution_id">;

const TEXT_BUDGET = 8 * 1024 * 1024;
const DELIMITERS: Record<string, string> = { "text/csv": ",", "text/tab-separated-values": "\t" };

/** The page of rows a contribution or review page shows past the stored first page (null: the first page, or none). */
export async function rowsPageFor(file: StoredFile, preview: { kind: string } | null, offset: number): Promise<RowsPage | null> {
  if (preview?.kind !== "table" || offset === 0) return null;
  try {
    return await tableRows(file, offset);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export async function tableRows(file: StoredFile, offset: number): Promise<RowsPage> {
  const reader = storedReader(file.cid, file.size);
  try {
    if (file.mediaType === "application/vnd.apache.parquet") return binaryPage(await parquetRecords(reader, PAGE_ROWS, offset), offset);
    if (file.mediaType === "application/vnd.apache.arrow.file") return binaryPage(await arrowRecords(reader, PAGE_ROWS, offset), offset);
    if (file.mediaType === "application/vnd.sqlite3") return sqlitePage(await sqliteTables(reader, offset + PAGE_ROWS + 1), offset);
    if (file.mediaType in DELIMITERS || file.mediaType === "application/x-ndjson" || file.mediaType === "application/json") return await textPage(file, reader, offset);
  } catch (error) {
    if (error instanceof UnreadableError) throw new NotFoundError(`No rows: this file cannot be read (${error.message})`);
    if (error instanceof BudgetExceededError) return { columns: [], rows: [], offset, next_offset: null, reason: "these rows lie beyond the preview's reading budget" };
    throw error;
  }
  throw new NotFoundError(`No rows: this contribution is ${file.mediaType}, not a table`);
}

/** The first table's rows from `offset` (its b-tree walked from the start, within the reading budget). */
function sqlitePage({ tables }: Awaited<ReturnType<typeof sqliteTables>>, offset: number): RowsPage {
  const t = tables[0];
  if (!t) throw new NotFoundError("No rows: this database has no table the preview reads");
  const rows = t.rows.slice(offset, offset + PAGE_ROWS);
  const more = t.rows.length > offset + PAGE_ROWS;
  return { columns: t.columns, rows: rows.map((r) => r.map(cellText)), offset, next_offset: more ? offset + PAGE_ROWS : null, ...(t.total !== undefined ? { total_rows: t.total } : {}) };
}

function binaryPage(t: { names: string[]; rows: unknown[][]; total?: number; reason?: string }, offset: number): RowsPage {
  const end = offset + t.rows.length;
  const more = t.total !== undefined ? end < t.total : t.rows.length === PAGE_ROWS;
  return { columns: t.names, rows: t.rows.map((r) => r.map(cellText)), offset, next_offset: more ? end : null, ...(t.total !== undefined ? { total_rows: t.total } : {}), ...(t.reason ? { reason: t.reason } : {}) };
}

async function textPage(file: StoredFile, reader: RangeReader, offset: number): Promise<RowsPage> {
  const bytes = await reader.read(0, Math.min(file.size, TEXT_BUDGET));
  const complete = bytes.length >= file.size;
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  const { columns, records } = DELIMITERS[file.mediaType] ? delimited(text, DELIMITERS[file.mediaType]!, complete, offset) : objects(text, file.mediaType === "application/x-ndjson", complete, offset);
  const rows = records.slice(offset, offset + PAGE_ROWS);
  const more = records.length > offset + PAGE_ROWS;
  const page: RowsPage = { columns, rows: rows.map((r) => columns.map((_, j) => r[j] ?? "")), offset, next_offset: more ? offset + PAGE_ROWS : null };
  if (complete && !more) page.total_rows = records.length;
  if (!complete && !more) page.reason = `rows past the first ${TEXT_BUDGET / 1024 / 1024} MiB are not previewed`;
  return page;
}

function delimited(text: string, delimiter: string, complete: boolean, offset: number) {
  const first = text.slice(0, text.indexOf("\n") >>> 0);
  const d = delimiter === "," && first.split(";").length > first.split(",").length ? ";" : delimiter;
  const [header = [], ...records] = parseDelimited(text, d, complete, offset + PAGE_ROWS + 2);
  return { columns: header, records };
}

function objects(text: string, ndjson: boolean, complete: boolean, offset: number) {
  let values: unknown[] = [];
  if (ndjson) {
    const lines = text.split("\n");
    if (!complete) lines.pop();
    for (const line of lines) {
      if (values.length > offset + PAGE_ROWS) break;
      try {
        if (line.trim()) values.push(JSON.parse(line));
      } catch {
        // a malformed line is not a row
      }
    }
  } else if (complete) {
    try {
      const v = JSON.parse(text) as unknown;
      values = Array.isArray(v) ? v : [];
    } catch {
      values = [];
    }
  }
  const rows = values.filter((v): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v));
  const columns = [...new Set(rows.slice(0, offset + PAGE_ROWS + 1).flatMap((o) => Object.keys(o)))];
  return { columns, records: rows.map((o) => columns.map((k) => cellText(o[k]))) };
}
