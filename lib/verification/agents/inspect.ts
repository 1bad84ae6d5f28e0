import { SNIFF_BYTES, sniffMediaType } from "@/lib/formats/sniff";
import { listTar, listZip, readEntry, walkTar, BLOCK_SIZE, type ArchiveEntry, type Located } from "@/lib/previews/archives";
import { previewNpy } from "@/lib/previews/arrays";
import { arrowRecords } from "@/lib/previews/arrow";
import { OutputBudgetError, streamedTar, type Codec } from "@/lib/previews/compressed";
import { parquetRecords } from "@/lib/previews/parquet";
import { pdfPreview } from "@/lib/previews/pdf";
import { sqliteTables } from "@/lib/previews/sqlite";
import { BudgetExceededError, UnreadableError, budgeted, bytesReader, type RangeReader } from "@/lib/previews/reader";

import { documentText, isDocumentPart } from "./document-parts";
import { pickFiles } from "./pick-files";
import type { AgentArray, AgentFile, AgentInput, AgentTable, Inspection } from "./types";

/**
 * What the agent reads of a contribution, from byte ranges within its bounds: the file itself (its
 * first bytes), or — for an archive — its listing and the files inside that matter most (docs, then
 * source and tables), at most `maxFiles` of them; Parquet tables by their footer and first rows;
 * NumPy arrays by their header. Nothing is extracted to disk; every read counts against the
 * reader's budget (AGENT_MAX_BYTES), and a walk stopped by it says so.
 */
export interface InspectBounds {
  maxFiles: number;
  maxBytes: number;
}

/** The first bytes of a single file the analyzers see. */
export const SINGLE_FILE_BYTES = 1024 * 1024;
/** The most of one file inside an archive read. */
const PER_FILE_BYTES = 256 * 1024;
/** Rows of a binary table (Parquet, Arrow, SQLite) decoded for the checks. */
const TABLE_ROWS = 5_000;
/** A SQLite database's tables checked, at most (the schema's first). */
const SQLITE_TABLES = 5;
const CODECS: Record<string, Codec> = { "application/gzip": "gzip", "application/zstd": "zstd", "application/x-xz": "xz" };
const ZIP_DOCUMENT = /^application\/(epub\+zip|vnd\.oasis\.opendocument\..+|vnd\.openxmlformats-officedocument\..+)$/;
/** Decompressed bytes and time a compressed archive is walked within. */
const STREAM_BOUNDS = { maxOutput: 256 * 1024 * 1024, ms: 2_000 };

interface FileMeta {
  name: string;
  mediaType: string;
  size: number;
}

const empty = (bytesRead = 0): Inspection => ({ entries: null, entriesPartial: false, files: [], tables: [], arrays: [], pdf: null, unreadable: null, stoppedBy: null, bytesRead });

export async function inspect(reader: RangeReader, file: FileMeta, bounds: InspectBounds): Promise<Inspection> {
  const found = empty();
  try {
    await inspectInto(found, reader, file, bounds);
  } catch (error) {
    if (error instanceof UnreadableError) found.unreadable = error.message;
    else if (error instanceof BudgetExceededError) found.stoppedBy = `the agent's reading budget of ${bounds.maxBytes} bytes`;
    else if (error instanceof OutputBudgetError) found.stoppedBy = error.message;
    else throw error;
  }
  found.bytesRead = reader.bytesRead;
  return found;
}

async function inspectInto(found: Inspection, reader: RangeReader, file: FileMeta, bounds: InspectBounds): Promise<void> {
  const codec = CODECS[file.mediaType];
  if (codec) return compressed(found, reader, codec, file, bounds);
  // A tar's listing may take half the budget (a large tar's headers are far apart): the files inside get the rest.
  if (file.mediaType === "application/x-tar") return ranged(found, reader, "tar", await listTar(budgeted(reader, bounds.maxBytes / 2)), bounds);
  if (file.mediaType === "application/zip" || file.mediaType === "application/x-npz") return ranged(found, reader, "zip", await listZip(reader), bounds);
  if (ZIP_DOCUMENT.test(file.mediaType)) return zipDocument(found, reader, file, bounds);
  if (file.mediaType === "application/pdf") return void (found.pdf = await pdfPreview(reader));
  const bytes = await reader.read(0, Math.min(file.size, SINGLE_FILE_BYTES, bounds.maxBytes));
  await addFile(found, { path: file.name, size: file.size, mediaType: file.mediaType, bytes, complete: bytes.length >= file.size }, reader);
}

/** The table formats the agent reads whole (by range): each yields its tables' first TABLE_ROWS rows. */
const TABLE_READERS: Record<string, (source: RangeReader, path: string) => Promise<AgentTable[]>> = {
  "application/vnd.apache.parquet": async (source, path) => {
    const { names, rows, total } = await parquetRecords(source, TABLE_ROWS);
    return [{ path, format: "parquet", header: names, rows, totalRows: total }];
  },
  "application/vnd.apache.arrow.file": async (source, path) => {
    const { names, rows, total } = await arrowRecords(source, TABLE_ROWS);
    return [{ path, format: "arrow", header: names, rows, totalRows: total ?? rows.length }];
  },
  "application/vnd.sqlite3": async (source, path) => {
    const { tables } = await sqliteTables(source, TABLE_ROWS, SQLITE_TABLES);
    return tables.map((t) => ({ path: `${path}#${t.name}`, format: "sqlite", header: t.columns, rows: t.rows, totalRows: t.total ?? t.rows.length }));
  },
};

/**
 * A file read: kept as text, or decoded as a table or array when its format is one of those. A table
 * needs the whole file (its index is at the end): one readable by range, or bytes read to the end.
 */
async function addFile(found: Inspection, f: AgentFile, whole?: RangeReader): Promise<void> {
  const table = TABLE_READERS[f.mediaType];
  if (table) {
    const source = whole ?? (f.complete ? bytesReader(f.bytes) : null);
    if (!source) return void found.files.push({ ...f, bytes: new Uint8Array(0) });
    found.tables.push(...(await table(source, f.path)));
    return;
  }
  if (f.mediaType === "application/x-npy") {
    found.arrays.push({ path: f.path, ...(await previewNpy(whole ?? bytesReader(f.bytes))) } satisfies AgentArray);
    return;
  }
  found.files.push(f);
}

type Entry = ArchiveEntry & Located;

function listed(found: Inspection, entries: Entry[], partial: boolean) {
  found.entries = entries.filter((e) => e.kind === "file").map((e) => ({ path: e.path, size: e.size }));
  found.entriesPartial = partial;
}

/** A zip or plain tar: listed from its directory or headers, the picked files read by range in archive order. */
async function ranged(found: Inspection, reader: RangeReader, format: "zip" | "tar", listing: { entries: Entry[]; partial: boolean }, bounds: InspectBounds) {
  listed(found, listing.entries, listing.partial);
  const picked = pickFiles(listing.entries, bounds.maxFiles).sort((a, b) => a.at - b.at);
  for (const e of picked) {
    try {
      const { bytes, complete } = await readEntry(reader, format, e, PER_FILE_BYTES);
      // An uncompressed tar member is itself readable by range (a Parquet table's footer is at its end).
      const whole = format === "tar" ? slice(reader, e.at, e.size) : undefined;
      await addFile(found, { path: e.path, size: e.size, mediaType: sniffMediaType(bytes.subarray(0, SNIFF_BYTES), e.path, complete), bytes, complete }, whole);
    } catch (error) {
      if (!(error instanceof UnreadableError)) throw error;
      found.files.push({ path: e.path, size: e.size, mediaType: "application/octet-stream", bytes: new Uint8Array(0), complete: false, unreadable: error.message });
    }
  }
}

const slice = (r: RangeReader, at: number, size: number): RangeReader => ({
  size,
  get bytesRead() {
    return r.bytesRead;
  },
  read: (offset, length) => r.read(at + offset, Math.max(0, Math.min(length, size - offset))),
});

/** tar.gz / tar.zst: one streamed walk keeps the picked files' first bytes; any other compressed file is read as its first decompressed bytes. */
async function compressed(found: Inspection, reader: RangeReader, codec: Codec, file: FileMeta, bounds: InspectBounds) {
  const stream = () => streamedTar(reader, codec, { maxOutput: STREAM_BOUNDS.maxOutput, deadline: Date.now() + STREAM_BOUNDS.ms });
  const prefix = await stream().data(SINGLE_FILE_BYTES, SINGLE_FILE_BYTES);
  const complete = prefix.length < SINGLE_FILE_BYTES;
  const inner = sniffMediaType(prefix.subarray(0, SNIFF_BYTES), file.name.replace(/\.(gz|zst|xz)$/i, ""), complete);
  if (inner !== "application/x-tar" || prefix.length < BLOCK_SIZE) {
    return addFile(found, { path: file.name.replace(/\.(gz|zst|xz)$/i, ""), size: complete ? prefix.length : file.size, mediaType: inner, bytes: prefix, complete });
  }
  let taken = 0;
  let bytes = 0;
  const keep = (path: string, size: number) => {
    if (taken >= bounds.maxFiles || bytes >= bounds.maxBytes || pickFiles([{ path, kind: "file", size, at: 0 }], 1).length === 0) return 0;
    taken++;
    bytes += Math.min(size, PER_FILE_BYTES);
    return PER_FILE_BYTES;
  };
  const walk = await walkTar(stream(), { keep });
  listed(found, walk.entries, walk.reason !== undefined);
  if (walk.reason) found.stoppedBy = walk.reason;
  for (const e of walk.entries) {
    const kept = walk.kept.get(e.path);
    if (!kept) continue;
    const done = kept.length >= e.size;
    await addFile(found, { path: e.path, size: e.size, mediaType: sniffMediaType(kept.subarray(0, SNIFF_BYTES), e.path, done), bytes: kept, complete: done });
  }
}

/** EPUB, OpenDocument and Office files: a zip whose text lives in XML/XHTML parts, read as plain text. */
async function zipDocument(found: Inspection, reader: RangeReader, file: FileMeta, bounds: InspectBounds) {
  const listing = await listZip(reader);
  const parts = listing.entries.filter((e) => e.kind === "file" && isDocumentPart(e.path)).slice(0, bounds.maxFiles);
  for (const e of parts.sort((a, b) => a.at - b.at)) {
    const { bytes, complete } = await readEntry(reader, "zip", e, PER_FILE_BYTES);
    const text = new TextEncoder().encode(documentText(new TextDecoder().decode(bytes)));
    found.files.push({ path: e.path, size: text.length, mediaType: "text/plain", bytes: text, complete });
  }
  if (parts.length === 0) found.unreadable = `no text parts found in this ${file.mediaType} container`;
}

/** The agent's input: the inspection, and a sample for agents that read text (an archive's is a digest of its listing and files). */
export async function agentInput(meta: Omit<AgentInput, "sample" | "complete" | "inspection">, reader: RangeReader, bounds: InspectBounds): Promise<AgentInput> {
  const inspection = await inspect(reader, { name: meta.fileName, mediaType: meta.mediaType, size: meta.size }, bounds);
  const single = inspection.entries === null && inspection.files.length === 1 ? inspection.files[0]! : null;
  if (single) return { ...meta, inspection, sample: single.bytes, complete: single.complete };
  return { ...meta, inspection, sample: new TextEncoder().encode(digest(inspection)), complete: false };
}

const DIGEST_FILE_BYTES = 4 * 1024;

function digest(i: Inspection): string {
  const out: string[] = [];
  if (i.entries) out.push(`Archive of ${i.entries.length}${i.entriesPartial ? "+" : ""} files:`, ...i.entries.slice(0, 200).map((e) => `  ${e.path} (${e.size} bytes)`));
  for (const t of i.tables) out.push(`--- table ${t.path}: ${t.totalRows} rows; columns ${t.header.join(", ")}`);
  for (const a of i.arrays) out.push(`--- array ${a.path}: ${a.dtype} ${a.shape.join("×")}`);
  if (i.pdf) out.push(`--- PDF, ${i.pdf.pages} pages; the first page's text:`, i.pdf.text);
  for (const f of i.files) out.push(`--- ${f.path}`, new TextDecoder("utf-8", { fatal: false }).decode(f.bytes.subarray(0, DIGEST_FILE_BYTES)));
  if (i.unreadable) out.push(`(unreadable: ${i.unreadable})`);
  return out.join("\n");
}
