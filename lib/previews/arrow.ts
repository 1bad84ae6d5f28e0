import type { FileHandle } from "node:fs/promises";

import { RecordBatchReader } from "apache-arrow";

import { BudgetExceededError, UnreadableError, type RangeReader } from "./reader";
import type { TablePreview } from "./schema";
import { fromRecords } from "./table";

/**
 * An Arrow IPC file (Feather v2) by ranges: apache-arrow reads the footer (schema and the record
 * batches' offsets) from the end, then the first batches only, through a file-handle shim over the
 * ranged reader — never the whole file. The row count is known when every batch was read.
 */
function fileHandle(r: RangeReader) {
  return {
    fd: -1,
    stat: async () => ({ size: r.size }),
    read: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
      const bytes = await r.read(position, length);
      buffer.set(bytes, offset);
      return { bytesRead: bytes.length, buffer };
    },
    close: async () => {},
  };
}

/** The preview's table of an Arrow IPC file: its first rows and their column statistics. */
export async function arrowTable(r: RangeReader): Promise<TablePreview> {
  const { names, rows, total } = await arrowRecords(r, SAMPLE_ROWS);
  const table = fromRecords(names, rows, { sampleBytes: r.bytesRead, truncated: total === undefined, format: "arrow" });
  return { ...table, ...(total !== undefined ? { total_rows: total } : {}) };
}

const SAMPLE_ROWS = 1000;

export async function arrowRecords(r: RangeReader, maxRows: number, skip = 0): Promise<{ names: string[]; rows: unknown[][]; total: number | undefined }> {
  try {
    const reader = await RecordBatchReader.from(fileHandle(r) as unknown as FileHandle);
    await reader.open();
    const names = reader.schema.fields.map((f) => f.name);
    const rows: unknown[][] = [];
    let batches = 0;
    let all = true;
    let seen = 0;
    for await (const batch of reader) {
      batches++;
      // Batches wholly before `skip` are passed over (their bytes are still read: an IPC batch is one message).
      for (let i = Math.max(0, skip - seen); i < batch.numRows && rows.length < maxRows; i++) rows.push(names.map((_, j) => batch.getChildAt(j)?.get(i)));
      seen += batch.numRows;
      if (rows.length >= maxRows) {
        all = batches >= (reader.isFile() ? reader.numRecordBatches : Infinity) && rows.length === maxRows;
        break;
      }
    }
    await reader.cancel();
    return { names, rows, total: all ? Math.max(seen, skip + rows.length) : undefined };
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    throw new UnreadableError(`it is not an Arrow IPC file apache-arrow can read (${(error as Error).message})`);
  }
}
