import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from "hyparquet";
import { compressors } from "hyparquet-compressors";

import { PAGE_ROWS, fromRecords } from "./table";
import { UnreadableError, type RangeReader } from "./reader";
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

export async function parquetTable(r: RangeReader): Promise<TablePreview> {
  const file = asyncBuffer(r);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH });
  } catch (error) {
    throw new UnreadableError(`its footer cannot be read (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  const rowEnd = Math.min(total, SAMPLE_ROWS);
  let rows: Record<string, unknown>[];
  try {
    rows = rowEnd > 0 ? await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd, compressors }) : [];
  } catch (error) {
    throw new UnreadableError(`its rows cannot be decoded (${(error as Error).message})`);
  }
  const body = rows.map((row) => names.map((n) => row[n]));
  const table = fromRecords(names, body, { sampleBytes: r.bytesRead, truncated: total > rowEnd, format: "parquet" });
  return { ...table, rows: table.rows.slice(0, PAGE_ROWS), total_rows: total };
}
