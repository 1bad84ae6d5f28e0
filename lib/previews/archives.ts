import zlib from "node:zlib";

import { BudgetExceededError, OutputBudgetError, UnreadableError, type RangeReader } from "./reader";
import type { ArchiveEntry, ArchiveListing, EntryKind } from "./schema";

export type { ArchiveEntry, ArchiveListing };

export { UnreadableError };

/**
 * Archive listings from byte ranges, never by extracting: a zip's central directory (found from its
 * end record, ZIP64 included) and an uncompressed tar's headers (ustar, pax and GNU long names). Every
 * name is only reported — path traversal, absolute paths, links, deep nesting and bomb-like
 * compression ratios are flagged, never followed or expanded.
 */

export const MAX_ENTRIES = 10_000;
const MAX_DEPTH = 32;
/** Declared expansion above which an entry is flagged as a bomb (and at least this big once expanded). */
const BOMB_RATIO = 100;
const BOMB_MIN_BYTES = 1024 * 1024;

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Why extracting this name would be unsafe, if it would. */
export function unsafePath(path: string): string | undefined {
  if (path.includes("\0")) return "NUL in the name";
  if (/^([/\\]|[a-zA-Z]:)/.test(path)) return "absolute path";
  if (path.split(/[/\\]/).includes("..")) return "path traversal (..)";
  if (path.split("/").length > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH}`;
  return undefined;
}

/** Where an entry's bytes are: a zip's local header (and its compression method), a tar's data. Never in an answer. */
export interface Located {
  at: number;
  method?: number;
}

/** A listing whose entries know where their bytes are (for a file's preview inside the archive). */
export type LocatedListing = Omit<ArchiveListing, "entries"> & { entries: (ArchiveEntry & Located)[] };

/** The listing as answered: without the byte locations. */
export const publicListing = (l: LocatedListing): ArchiveListing => ({ ...l, entries: l.entries.map(({ at: _at, method: _method, ...e }) => e) });

function entry(path: string, kind: EntryKind, size: number, located: Located, extra: Partial<ArchiveEntry> = {}): ArchiveEntry & Located {
  const e: ArchiveEntry & Located = { path, kind, size, ...extra, ...located };
  const unsafe = unsafePath(path) ?? (kind === "symlink" || kind === "link" ? "link (never followed)" : undefined);
  const ratio = e.compressed_size !== undefined && e.compressed_size > 0 ? size / e.compressed_size : 0;
  const bomb = size >= BOMB_MIN_BYTES && ratio > BOMB_RATIO ? `expands ${Math.round(ratio)}× (declared ${size} bytes)` : undefined;
  if (unsafe ?? bomb) e.unsafe = [unsafe, bomb].filter(Boolean).join("; ");
  return e;
}

// --- zip ---------------------------------------------------------------------------------------

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
/** The end record (22 bytes) plus the longest comment. */
const EOCD_SEARCH = 22 + 0xffff;
/** Central directory bytes read at most (~10,000 entries of typical names). */
const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;

async function endOfCentralDirectory(r: RangeReader): Promise<{ entries: number; size: number; offset: number }> {
  const from = Math.max(0, r.size - EOCD_SEARCH);
  const tail = await r.read(from, r.size - from);
  const view = dv(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== EOCD) continue;
    let entries = view.getUint16(i + 10, true);
    let size = view.getUint32(i + 12, true);
    let offset = view.getUint32(i + 16, true);
    if ((entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) && i >= 20 && view.getUint32(i - 20, true) === ZIP64_LOCATOR) {
      const z64 = dv(await r.read(Number(view.getBigUint64(i - 12, true)), 56));
      if (z64.byteLength < 56 || z64.getUint32(0, true) !== ZIP64_EOCD) throw new UnreadableError("its ZIP64 end record is missing or damaged");
      entries = Number(z64.getBigUint64(32, true));
      size = Number(z64.getBigUint64(40, true));
      offset = Number(z64.getBigUint64(48, true));
    }
    if (offset + size > r.size) throw new UnreadableError("its central directory lies outside the file");
    return { entries, size, offset };
  }
  throw new UnreadableError("no end-of-central-directory record: the zip is truncated or not a zip");
}

/** ZIP64 sizes from an entry's extra field, for the fields set to 0xFFFFFFFF. */
function zip64Sizes(extra: DataView, size: number, compressed: number): { size: number; compressed: number } {
  for (let p = 0; p + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(p, true);
    const length = extra.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      if (size === 0xffffffff && q + 8 <= extra.byteLength) {
        size = Number(extra.getBigUint64(q, true));
        q += 8;
      }
      if (compressed === 0xffffffff && q + 8 <= extra.byteLength) compressed = Number(extra.getBigUint64(q, true));
      break;
    }
    p += 4 + length;
  }
  return { size, compressed };
}

export async function listZip(r: RangeReader): Promise<LocatedListing> {
  const end = await endOfCentralDirectory(r);
  const readable = Math.min(end.size, MAX_DIRECTORY_BYTES);
  const dir = await r.read(end.offset, readable);
  const view = dv(dir);
  const entries: (ArchiveEntry & Located)[] = [];
  let p = 0;
  while (entries.length < Math.min(end.entries, MAX_ENTRIES) && p + 46 <= dir.length) {
    if (view.getUint32(p, true) !== CENTRAL) throw new UnreadableError(`a damaged central directory record at byte ${end.offset + p}`);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength + extraLength > dir.length) break;
    const name = utf8.decode(dir.subarray(p + 46, p + 46 + nameLength));
    const sizes = zip64Sizes(dv(dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength)), view.getUint32(p + 24, true), view.getUint32(p + 20, true));
    const mode = view.getUint32(p + 38, true) >>> 16;
    const kind: EntryKind = name.endsWith("/") ? "directory" : (mode & 0o170000) === 0o120000 ? "symlink" : "file";
    entries.push(entry(name, kind, sizes.size, { at: view.getUint32(p + 42, true), method: view.getUint16(p + 10, true) }, { compressed_size: sizes.compressed }));
    p += 46 + nameLength + extraLength + commentLength;
  }
  const partial = entries.length < end.entries;
  return {
    format: "zip",
    entries,
    declared_entries: end.entries,
    partial,
    reason: partial ? (entries.length >= MAX_ENTRIES ? `the first ${MAX_ENTRIES} entries` : "the central directory is larger than the preview reads") : undefined,
    declared_bytes: entries.reduce((s, e) => s + e.size, 0),
  };
}

// --- tar ---------------------------------------------------------------------------------------

const BLOCK = 512;
export const BLOCK_SIZE = BLOCK;

/** A tar number: octal text, or base-256 when the first byte's high bit is set (GNU, for sizes ≥ 8 GiB). */
function tarNumber(field: Uint8Array): number {
  if (field[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = utf8.decode(field).replace(/\0.*$/s, "").trim();
  if (!/^[0-7]*$/.test(text)) throw new UnreadableError(`a header with a malformed number (${JSON.stringify(text.slice(0, 12))})`);
  return text ? parseInt(text, 8) : 0;
}

const cString = (b: Uint8Array) => utf8.decode(b).replace(/\0.*$/s, "");

/** The header's checksum: the sum of its bytes with the checksum field read as spaces. */
function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === tarNumber(h.subarray(148, 156));
}

/** pax extended header records: "<length> <key>=<value>\n". */
function paxRecords(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\d+) ([^=]+)=([^\n]*)\n/g)) out[m[2]!] = m[3]!;
  return out;
}

const TAR_KINDS: Record<string, EntryKind> = { "0": "file", "\0": "file", "7": "file", "5": "directory", "2": "symlink", "1": "link" };
/** Headers whose data is metadata about the next entry. */
const META = new Set(["x", "g", "L", "K"]);
const MAX_META_BYTES = 64 * 1024;

/** A tar's bytes in order: headers, then each entry's data (kept up to `keep` bytes, the rest skipped). */
export interface TarSource {
  /** The next 512-byte block, or null at the end. */
  block(): Promise<Uint8Array | null>;
  /** The entry's data: its first `keep` bytes; the rest (and the padding to 512) is passed over. */
  data(size: number, keep: number): Promise<Uint8Array>;
  /** Where the next block starts (the data of the entry just read starts one block before). */
  readonly offset: number;
}

/** A tar read by ranges: passing over data costs nothing. */
function rangedTar(r: RangeReader, deadline: number): TarSource {
  let offset = 0;
  // After a jump over a large entry, the next header is a far read: its block, not a window of the entry's data.
  let jumped = false;
  return {
    get offset() {
      return offset;
    },
    async block() {
      if (offset + BLOCK > r.size) return null;
      // Each header after a jump is a separate read of the node (a block fetched and verified): time bounds them.
      if (Date.now() > deadline) throw new OutputBudgetError(`${TAR_LIST_MS / 1000} s of reading`);
      const h = await r.read(offset, BLOCK, jumped);
      jumped = false;
      offset += BLOCK;
      return h;
    },
    async data(size, keep) {
      const bytes = keep > 0 ? await r.read(offset, Math.min(size, keep)) : new Uint8Array(0);
      offset += Math.ceil(size / BLOCK) * BLOCK;
      jumped = size > JUMP;
      return bytes;
    },
  };
}

/** Entries larger than this are jumped over (a reader's window is 64 KiB). */
const JUMP = 64 * 1024;

export interface TarWalk {
  entries: (ArchiveEntry & Located)[];
  /** Why the walk stopped short, if it did. */
  reason?: string;
  /** The first bytes of the entry asked for, when it was reached. */
  captured?: Uint8Array;
  /** With a `keep` capture: the first bytes of each file it kept, by path. */
  kept: Map<string, Uint8Array>;
}

/**
 * Which files' data a walk keeps: one path (the walk stops there), or `keep` deciding for each file
 * how many of its first bytes to keep (0: none).
 */
export type TarCapture = { path: string; max: number } | { keep: (path: string, size: number) => number };

/** Walks a tar's headers (ustar, pax, GNU long names) from any source; with `capture`, keeps files' first bytes. */
export async function walkTar(source: TarSource, capture?: TarCapture): Promise<TarWalk> {
  const walk: TarWalk = { entries: [], kept: new Map() };
  const keepOf = (name: string, size: number) => (!capture ? 0 : "keep" in capture ? capture.keep(name, size) : name === capture.path ? capture.max : 0);
  let pending: { path?: string; size?: number; target?: string } = {};
  try {
    while (walk.entries.length < MAX_ENTRIES) {
      const at = source.offset;
      const h = await source.block();
      if (!h || h.every((b) => b === 0)) return walk; // the end-of-archive blocks
      if (!checksumOk(h)) throw new UnreadableError(`a damaged header at byte ${at}`);
      const type = String.fromCharCode(h[156]!);
      const size = tarNumber(h.subarray(124, 136));
      const dataAt = source.offset;
      if (META.has(type)) {
        const raw = await source.data(size, type === "g" ? 0 : MAX_META_BYTES);
        if (type === "x") {
          const records = paxRecords(utf8.decode(raw));
          pending = { path: records.path ?? pending.path, size: records.size !== undefined ? Number(records.size) : pending.size, target: records.linkpath ?? pending.target };
        } else if (type === "L") pending.path = cString(raw);
        else if (type === "K") pending.target = cString(raw);
        continue;
      }
      const prefix = h[257] === 0x75 ? cString(h.subarray(345, 500)) : ""; // "ustar": a name prefix
      const name = pending.path ?? (prefix ? `${prefix}/${cString(h.subarray(0, 100))}` : cString(h.subarray(0, 100)));
      const kind = TAR_KINDS[type] ?? "other";
      const target = kind === "symlink" || kind === "link" ? (pending.target ?? cString(h.subarray(157, 257))) : undefined;
      const length = pending.size ?? size;
      const keep = kind === "file" ? keepOf(name, length) : 0;
      const kept = await source.data(length, keep);
      walk.entries.push(entry(name, kind, length, { at: dataAt }, target ? { target } : {}));
      pending = {};
      if (keep > 0 && capture && "path" in capture) return { ...walk, captured: kept };
      if (keep > 0) walk.kept.set(name, kept);
    }
    walk.reason = `the first ${MAX_ENTRIES} entries`;
  } catch (error) {
    if (error instanceof BudgetExceededError) walk.reason = "the entries reached within the preview's reading budget";
    else if (error instanceof OutputBudgetError) walk.reason = `the entries reached within ${error.message}`;
    else throw error;
  }
  return walk;
}

/** Time a tar's headers are read within: a large tar with large entries lists the entries reached. */
export const TAR_LIST_MS = 2_000;

export async function listTar(r: RangeReader): Promise<LocatedListing> {
  return tarListing(await walkTar(rangedTar(r, Date.now() + TAR_LIST_MS)));
}

export const tarListing = (walk: TarWalk): LocatedListing => ({
  format: "tar",
  entries: walk.entries,
  declared_entries: null,
  partial: walk.reason !== undefined,
  reason: walk.reason,
  declared_bytes: walk.entries.reduce((s, e) => s + e.size, 0),
});

const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The first `max` bytes of a file inside the archive (never more, whatever it declares): a tar's
 * data as is; a zip's stored or deflated data, inflated with an output bound (a bomb stops there).
 */
export async function readEntry(r: RangeReader, format: "zip" | "tar", e: ArchiveEntry & Located, max: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  if (format === "tar") {
    const bytes = await r.read(e.at, Math.min(e.size, max));
    return { bytes, complete: bytes.length >= e.size };
  }
  const header = await r.read(e.at, 30);
  if (header.length < 30 || dv(header).getUint32(0, true) !== LOCAL) throw new UnreadableError(`no local header for ${e.path}`);
  const dataAt = e.at + 30 + dv(header).getUint16(26, true) + dv(header).getUint16(28, true);
  const stored = e.compressed_size ?? 0;
  if (e.method === STORED) {
    const bytes = await r.read(dataAt, Math.min(stored, max));
    return { bytes, complete: bytes.length >= e.size };
  }
  if (e.method !== DEFLATED) throw new UnreadableError(`${e.path} is compressed with method ${e.method}, which the preview does not read`);
  // Enough compressed input for `max` output at any plausible ratio, within the read budget.
  const input = await r.read(dataAt, Math.min(stored, max * 4 + 64 * 1024));
  const bytes = await inflateBounded(input, max);
  return { bytes, complete: bytes.length >= e.size };
}

/**
 * Inflates raw deflate data, stopping at `max` output bytes (the inflater is destroyed there, so a
 * bomb expands no further); input cut short keeps what decoded before the cut.
 */
function inflateBounded(input: Uint8Array, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let total = 0;
    const inflater = zlib.createInflateRaw();
    const done = () => resolve(Buffer.concat(out).subarray(0, max));
    inflater.on("data", (chunk: Buffer) => {
      out.push(chunk);
      total += chunk.length;
      if (total >= max) {
        inflater.destroy();
        done();
      }
    });
    inflater.on("end", done);
    inflater.on("error", (error) => (total > 0 ? done() : reject(new UnreadableError(`its deflate data is damaged (${error.message})`))));
    inflater.end(input);
  });
}
