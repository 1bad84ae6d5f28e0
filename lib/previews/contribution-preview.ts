import "server-only";

import { readContent } from "@/lib/ipfs/content";
import { SNIFF_BYTES, sniffMediaType } from "@/lib/formats/sniff";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors";

import { BLOCK_SIZE, listTar, listZip, publicListing, readEntry, tarListing, walkTar } from "./archives";
import { OutputBudgetError, streamedTar, type Codec } from "./compressed";
import { imagePreview } from "./image";
import { highlight, renderMarkdown } from "./rich-text";
import { parquetTable } from "./parquet";
import { pdfPreview } from "./pdf";
import { delimitedTable, jsonTable } from "./table";
import { previewNpy, type ArrayPreview } from "./arrays";
import { arrowTable } from "./arrow";
import { sqliteTable } from "./sqlite";
import { BudgetExceededError, UnreadableError, bytesReader, windowedReader, type RangeReader } from "./reader";
import type { Preview } from "./schema";

export type { Preview };

export const PREVIEW_BYTES = 32 * 1024;
/** Bytes a structured preview (archive listing, array header) may read from the node. */
export const PREVIEW_BUDGET = 8 * 1024 * 1024;
const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;
/** Zip and the containers built on it: their central directory lists them. */
const ZIP_BASED = /^application\/(zip|x-npz|epub\+zip|vnd\.oasis\.opendocument\..+|vnd\.openxmlformats-officedocument\..+)$/;
/** Entries shown on a page (the listing keeps up to MAX_ENTRIES). */
const SHOWN_ENTRIES = 200;

/** Ranged reads of the stored file, in windows, within `budget` bytes (PREVIEW_BUDGET for previews). */
export function storedReader(cid: string, size: number, budget = PREVIEW_BUDGET): RangeReader {
  return windowedReader(
    size,
    async (offset, length) => {
      const parts: Uint8Array[] = [];
      for await (const p of readContent(cid, { offset, length })) parts.push(p);
      return Buffer.concat(parts);
    },
    // The node stores files in 1 MiB leaves (the importer's default: 1,025 blocks per GiB).
    { budget, block: 1024 * 1024 },
  );
}

/** Decompressed bytes walked at most, and time spent, listing a compressed tar. */
const COMPRESSED_OUTPUT = 256 * 1024 * 1024;
const COMPRESSED_MS = 2000;
const CODECS: Record<string, Codec> = { "application/gzip": "gzip", "application/zstd": "zstd", "application/x-xz": "xz" };

const streamed = (reader: RangeReader, codec: Codec) => streamedTar(reader, codec, { maxOutput: COMPRESSED_OUTPUT, deadline: Date.now() + COMPRESSED_MS });

/** gzip/zstd: a compressed tar is listed by streaming; any other compressed file is previewed from its first decompressed bytes. */
async function compressed(codec: Codec, reader: RangeReader): Promise<Preview> {
  const prefix = await streamed(reader, codec).data(INNER_BYTES, INNER_BYTES);
  const complete = prefix.length < INNER_BYTES;
  const inner = sniffMediaType(prefix.subarray(0, SNIFF_BYTES), "", complete);
  if (inner === "application/x-tar") {
    const walk = await walkTar(streamed(reader, codec));
    return { kind: "archive", listing: publicListing(tarListing({ ...walk, entries: walk.entries.slice(0, SHOWN_ENTRIES) })), shown: Math.min(SHOWN_ENTRIES, walk.entries.length) };
  }
  return previewWith({ size: complete ? prefix.length : Number.MAX_SAFE_INTEGER, mediaType: inner }, bytesReader(prefix));
}

/** Binary formats previewed by their own reader (from byte ranges). */
const STRUCTURED: Record<string, (r: RangeReader) => Promise<Preview | ArrayPreview>> = {
  "application/x-npy": previewNpy,
  "application/vnd.apache.parquet": parquetTable,
  "application/vnd.apache.arrow.file": arrowTable,
  "application/vnd.sqlite3": sqliteTable,
};

/** A preview that says why the bytes cannot be read (malformed, or past the reading budget) instead of failing. */
async function guarded(mediaType: string, preview: () => Promise<Preview>): Promise<Preview> {
  try {
    return await preview();
  } catch (error) {
    if (error instanceof UnreadableError) return { kind: "unreadable", media_type: mediaType, reason: error.message };
    if (error instanceof BudgetExceededError) return { kind: "unreadable", media_type: mediaType, reason: `its first page is beyond the preview's reading budget` };
    throw error;
  }
}

/** Archives, arrays, Parquet tables and PDFs, read from byte ranges; a malformed file says why it cannot be read. */
async function structured(mediaType: string, reader: RangeReader): Promise<Preview | null> {
  const codec = CODECS[mediaType];
  if (codec) {
    try {
      return await compressed(codec, reader);
    } catch (error) {
      if (error instanceof UnreadableError) return { kind: "unreadable", media_type: mediaType, reason: error.message };
      // A budget spent before the first decompressed bytes were in hand: said, not failed.
      if (error instanceof BudgetExceededError || error instanceof OutputBudgetError) return { kind: "unreadable", media_type: mediaType, reason: "its first bytes could not be decompressed within the preview's budget" };
      throw error;
    }
  }
  if (mediaType === "application/pdf") return guarded(mediaType, async () => ({ kind: "pdf" as const, ...(await pdfPreview(reader)) }));
  const read = mediaType === "application/x-tar" ? listTar : ZIP_BASED.test(mediaType) ? listZip : (STRUCTURED[mediaType] ?? null);
  if (!read) return null;
  try {
    const result = await read(reader);
    if ("kind" in result) return result;
    if ("entries" in result) return { kind: "archive", listing: publicListing({ ...result, entries: result.entries.slice(0, SHOWN_ENTRIES) }), shown: Math.min(SHOWN_ENTRIES, result.entries.length) };
    return { kind: "array", array: result };
  } catch (error) {
    if (error instanceof UnreadableError) return { kind: "unreadable", media_type: mediaType, reason: error.message };
    throw error;
  }
}

/**
 * The first PREVIEW_BYTES of a file, for reviewers: text as text (rendered escaped by React),
 * CSV/TSV as a small table, JSON pretty-printed when it is complete; archives as their file list and
 * NumPy arrays as their header and first values (ranged reads); never HTML, never raw binary.
 */
export async function computePreview(c: StoredFile): Promise<{ preview: Preview; bytesRead: number; thumbnail: Buffer | null }> {
  const reader = storedReader(c.cid, c.size);
  if (c.mediaType.startsWith("image/")) {
    try {
      const { preview, thumbnail } = await imagePreview(reader, c.mediaType, PREVIEW_BUDGET);
      return { preview, bytesRead: reader.bytesRead, thumbnail };
    } catch (error) {
      if (!(error instanceof UnreadableError)) throw error;
      return { preview: { kind: "unreadable", media_type: c.mediaType, reason: error.message }, bytesRead: reader.bytesRead, thumbnail: null };
    }
  }
  const preview = await previewWith(c, reader);
  return { preview, bytesRead: reader.bytesRead, thumbnail: null };
}

export interface StoredFile {
  cid: string;
  size: number;
  mediaType: string;
  /** The file's name (its extension names the language of source code). */
  name?: string;
}

const markdownOf = (text: string) => {
  const { html, remoteImages } = renderMarkdown(text);
  return { html, remote_images: remoteImages };
};

async function previewWith(c: { size: number; mediaType: string; name?: string }, reader: RangeReader): Promise<Preview> {
  if (!TEXTUAL.test(c.mediaType)) return (await structured(c.mediaType, reader)) ?? { kind: "binary", media_type: c.mediaType };
  const table = TABLES[c.mediaType];
  if (table) {
    const bytes = await reader.read(0, Math.min(c.size, TABLE_SAMPLE_BYTES));
    const complete = bytes.length >= c.size;
    const preview = table(textOf(bytes, complete), complete);
    if (preview) return preview;
  }
  const truncated = c.size > PREVIEW_BYTES;
  let text = textOf(await reader.read(0, Math.min(c.size, PREVIEW_BYTES)), !truncated);
  if (c.mediaType === "application/json" && !truncated) {
    try {
      return { kind: "text", text: JSON.stringify(JSON.parse(text), null, 2).slice(0, PREVIEW_BYTES), truncated: false };
    } catch {
      // show as is
    }
  }
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf("\n")));
  if (c.mediaType === "text/markdown") return { kind: "markdown", ...markdownOf(text), truncated };
  if (c.mediaType === "text/x-source") return { kind: "code", ...(await highlight(text, c.name ?? "")), truncated };
  return { kind: "text", text, truncated };
}

/** Bytes of a tabular file the table preview (first page and column statistics) reads. */
const TABLE_SAMPLE_BYTES = 1024 * 1024;

const textOf = (bytes: Uint8Array, complete: boolean) => {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  // A cut multi-byte character decodes as U+FFFD at the very end: drop it.
  return complete ? text : text.replace(/\uFFFD$/, "");
};

/** Which delimiter a CSV uses: the one of ',' and ';' its first line holds more of. */
const csvDelimiter = (text: string) => {
  const first = text.slice(0, text.indexOf("\n") >>> 0);
  return first.split(";").length > first.split(",").length ? ";" : ",";
};

const TABLES: Record<string, (text: string, complete: boolean) => Preview | null> = {
  "text/csv": (text, complete) => delimitedTable(text, csvDelimiter(text), { complete, format: "csv" }),
  "text/tab-separated-values": (text, complete) => delimitedTable(text, "\t", { complete, format: "tsv" }),
  "application/x-ndjson": (text, complete) => jsonTable(text, { complete, ndjson: true }),
  "application/json": (text, complete) => jsonTable(text, { complete, ndjson: false }),
};

/** Bytes of a file inside an archive read for its preview. */
const INNER_BYTES = 1024 * 1024;

const archiveFormat = (mediaType: string): "zip" | "tar" | null => (mediaType === "application/x-tar" ? "tar" : ZIP_BASED.test(mediaType) ? "zip" : null);

/**
 * An archive's entries, a page at a time, or — with `path` — one file inside it and its preview
 * (its first INNER_BYTES, sniffed like an upload). Nothing is extracted to disk.
 */
export async function archiveEntries(file: StoredFile, q: { path?: string; offset: number; limit: number }) {
  const codec = CODECS[file.mediaType];
  const format = codec ? "tar" : archiveFormat(file.mediaType);
  const notArchive = () => new NotFoundError(`No entries: this contribution is ${file.mediaType}, not a zip or tar archive`);
  if (!format) throw notArchive();
  const reader = storedReader(file.cid, file.size);
  let listing;
  let captured: Uint8Array | undefined;
  try {
    if (codec) {
      const prefix = await streamed(reader, codec).data(BLOCK_SIZE, BLOCK_SIZE);
      if (sniffMediaType(prefix, "", false) !== "application/x-tar") throw notArchive();
      const walk = await walkTar(streamed(reader, codec), q.path !== undefined ? { path: q.path, max: INNER_BYTES } : undefined);
      listing = tarListing(walk);
      captured = walk.captured;
    } else listing = await (format === "zip" ? listZip : listTar)(reader);
  } catch (error) {
    if (error instanceof UnreadableError) throw new ConflictError(`This archive cannot be read: ${error.message}`);
    throw error;
  }
  if (q.path === undefined) {
    const items = publicListing({ ...listing, entries: listing.entries.slice(q.offset, q.offset + q.limit) }).entries;
    const next = q.offset + q.limit < listing.entries.length ? q.offset + q.limit : null;
    return { format, items, offset: q.offset, next_offset: next, partial: listing.partial, ...(listing.reason ? { reason: listing.reason } : {}) };
  }
  const entry = listing.entries.find((e) => e.path === q.path);
  if (!entry) throw new NotFoundError("No entry with this path in the archive");
  if (entry.kind !== "file") throw new BadRequestError(`This entry is a ${entry.kind}: only a file has a preview`);
  const [publicEntry] = publicListing({ ...listing, entries: [entry] }).entries;
  try {
    const { bytes, complete } = captured ? { bytes: captured, complete: captured.length >= entry.size } : await readEntry(reader, format, entry, INNER_BYTES);
    const mediaType = sniffMediaType(bytes.subarray(0, SNIFF_BYTES), entry.path, complete);
    return { path: entry.path, entry: publicEntry!, preview: await previewWith({ size: complete ? bytes.length : entry.size, mediaType, name: entry.path }, bytesReader(bytes)) };
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    return { path: entry.path, entry: publicEntry!, preview: { kind: "unreadable" as const, media_type: "application/octet-stream", reason: error.message } };
  }
}
