import "server-only";

import { readContent } from "@/lib/ipfs/content";
import { listTar, listZip, type ArchiveListing } from "@/lib/previews/archives";
import { previewNpy, type ArrayPreview } from "@/lib/previews/arrays";
import { UnreadableError, windowedReader, type RangeReader } from "@/lib/previews/reader";

export const PREVIEW_BYTES = 32 * 1024;
/** Bytes a structured preview (archive listing, array header) may read from the node. */
export const PREVIEW_BUDGET = 8 * 1024 * 1024;
const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;
/** Zip and the containers built on it: their central directory lists them. */
const ZIP_BASED = /^application\/(zip|x-npz|epub\+zip|vnd\.oasis\.opendocument\..+|vnd\.openxmlformats-officedocument\..+)$/;
/** Entries shown on a page (the listing keeps up to MAX_ENTRIES). */
const SHOWN_ENTRIES = 200;

export type Preview =
  | { kind: "text"; text: string; truncated: boolean }
  | { kind: "table"; rows: string[][]; truncated: boolean }
  | { kind: "archive"; listing: ArchiveListing; shown: number }
  | { kind: "array"; array: ArrayPreview }
  | { kind: "unreadable"; mediaType: string; reason: string }
  | { kind: "binary"; mediaType: string };

/** Ranged reads of the stored file, in windows, within PREVIEW_BUDGET. */
function storedReader(cid: string, size: number): RangeReader {
  return windowedReader(
    size,
    async (offset, length) => {
      const parts: Uint8Array[] = [];
      for await (const p of readContent(cid, { offset, length })) parts.push(p);
      return Buffer.concat(parts);
    },
    { budget: PREVIEW_BUDGET },
  );
}

/** Archives and arrays, read from byte ranges; a malformed file says why it cannot be read. */
async function structured(c: { cid: string; size: number; mediaType: string }): Promise<Preview | null> {
  const read = c.mediaType === "application/x-tar" ? listTar : ZIP_BASED.test(c.mediaType) ? listZip : c.mediaType === "application/x-npy" ? previewNpy : null;
  if (!read) return null;
  try {
    const result = await read(storedReader(c.cid, c.size));
    if ("entries" in result) return { kind: "archive", listing: { ...result, entries: result.entries.slice(0, SHOWN_ENTRIES) }, shown: Math.min(SHOWN_ENTRIES, result.entries.length) };
    return { kind: "array", array: result };
  } catch (error) {
    if (error instanceof UnreadableError) return { kind: "unreadable", mediaType: c.mediaType, reason: error.message };
    throw error;
  }
}

/**
 * The first PREVIEW_BYTES of a file, for reviewers: text as text (rendered escaped by React),
 * CSV/TSV as a small table, JSON pretty-printed when it is complete; archives as their file list and
 * NumPy arrays as their header and first values (ranged reads); never HTML, never raw binary.
 */
export async function previewContribution(c: { cid: string; size: number; mediaType: string }): Promise<Preview> {
  if (!TEXTUAL.test(c.mediaType)) return (await structured(c)) ?? { kind: "binary", mediaType: c.mediaType };
  const parts: Uint8Array[] = [];
  for await (const p of readContent(c.cid, { offset: 0, length: Math.min(c.size, PREVIEW_BYTES) })) parts.push(p);
  const truncated = c.size > PREVIEW_BYTES;
  let text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(parts));
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf("\n")));
  if (c.mediaType === "text/csv" || c.mediaType === "text/tab-separated-values") {
    const delimiter = c.mediaType === "text/csv" ? (text.split("\n")[0]!.includes(";") && !text.split("\n")[0]!.includes(",") ? ";" : ",") : "\t";
    const rows = text
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .slice(0, 21)
      .map((l) => l.split(delimiter).slice(0, 20));
    return { kind: "table", rows, truncated: truncated || text.split("\n").length > 21 };
  }
  if (c.mediaType === "application/json" && !truncated) {
    try {
      return { kind: "text", text: JSON.stringify(JSON.parse(text), null, 2).slice(0, PREVIEW_BYTES), truncated: false };
    } catch {
      // show as is
    }
  }
  return { kind: "text", text, truncated };
}
