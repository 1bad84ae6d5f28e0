import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from "hyparquet";
import { compressors } from "hyparquet-compressors";

import { PAGE_ROWS, fromRecords } from "./table";
import { BudgetExceededError, UnreadableError, type RangeReader } from "./reader";
import type { TablePreview } from "./schema";

/**
 * A Parquet file's table from byte ranges (hyparquet): the footer's metadata first, then only the
 * column chunks of the rows shown — never the whole file. Column statistics cover the first
 * SAMPLE_ROWS rows read.
 */
const SAMPLE_ROWS = 1000;
/** The footer fetch: hyparquet reads this much from the end first (a second read if the metadata is longer). */
const FOOTER_FETCH = 64 * 1024;

function asyncBuffer(r: RangeReader): AsyncBuffer {
  return {
    byteLength: r.size,
    async slice(start: number, end?: number) {
      const bytes = await r.read(start, (end ?? r.size) - start);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/** The column names, the first `maxRows` rows (cells as decoded) and the file's row count, from the footer and only the chunks of those rows. */
export async function parquetRecords(r: RangeReader, maxRows: number, rowStart = 0): Promise<{ names: string[]; rows: unknown[][]; total: number; reason?: string }> {
  const file = asyncBuffer(r);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH });
  } catch (error) {
    throw new UnreadableError(`its footer cannot be read (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  const rowEnd = Math.min(total, rowStart + maxRows);
  let rows: Record<string, unknown>[];
  try {
    // The offset index (when the writer kept one) narrows the reads to the pages holding these rows, not whole column chunks.
    rows = rowEnd > rowStart ? await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors, useOffsetIndex: true }) : [];
  } catch (error) {
    // Column chunks larger than the budget (no offset index to narrow them): the schema and row count still stand.
    if (error instanceof BudgetExceededError) return { names, rows: [], total, reason: `its first rows lie in column chunks larger than the ${error.message.replace(/^.*budget of /, "")} a preview reads` };
    throw new UnreadableError(`its rows cannot be decoded (${(error as Error).message})`);
  }
  return { names, rows: rows.map((row) => names.map((n) => row[n])), total };
}

export async function parquetTable(r: RangeReader): Promise<TablePreview> {
  const { names, rows, total, reason } = await parquetRecords(r, SAMPLE_ROWS);
  const table = fromRecords(names, rows, { sampleBytes: r.bytesRead, truncated: total > rows.length, format: "parquet" });
  return { ...table, rows: table.rows.slice(0, PAGE_ROWS), total_rows: total, ...(reason ? { reason } : {}) };
}
