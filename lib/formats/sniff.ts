import type { FileType } from "@/db/schema";

/**
 * Media type from the bytes themselves (never the client's Content-Type), and which file types
 * each media type may be declared as. Only a bounded prefix is read (SNIFF_BYTES).
 */
export const SNIFF_BYTES = 64 * 1024;

/** Signatures at fixed offsets (each format's specification; libmagic agrees on the fixtures in test/fixtures/formats). */
const MAGIC: [offset: number, bytes: number[] | string, mediaType: string, check?: (b: Uint8Array) => boolean][] = [
  [0, "%PDF-", "application/pdf"],
  [0, "PAR1", "application/vnd.apache.parquet"],
  [0, "ARROW1", "application/vnd.apache.arrow.file"], // Arrow IPC file = Feather v2
  [0, "FEA1", "application/x-feather"], // Feather v1
  [0, [0x93, ...ascii("NUMPY")], "application/x-npy"],
  [0, "SQLite format 3\0", "application/vnd.sqlite3"],
  [257, "ustar", "application/x-tar"], // POSIX ("ustar\0") and GNU ("ustar  ") tar
  [0, [0x1f, 0x8b], "application/gzip"],
  [0, [0x28, 0xb5, 0x2f, 0xfd], "application/zstd"],
  [0, [0xfd, ...ascii("7zXZ"), 0x00], "application/x-xz"],
  [0, "BZh", "application/x-bzip2", (b) => b[3]! >= 0x31 && b[3]! <= 0x39 && at(b, 4, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59])], // block size, then π's block magic
  [0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "application/x-7z-compressed"],
  [0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "application/x-ole-storage"], // legacy Office (.doc, .xls, .ppt)
  [0, [0x89, 0x50, 0x4e, 0x47], "image/png"],
  [0, [0xff, 0xd8, 0xff], "image/jpeg"],
  [0, "GIF87a", "image/gif"],
  [0, "GIF89a", "image/gif"],
  // Reserved bytes zero and a known DIB header size: a text file may start with "BM" too.
  [0, "BM", "image/bmp", (b) => at(b, 6, [0, 0, 0, 0]) && [12, 40, 52, 56, 64, 108, 124].includes(u32le(b, 14))],
  [0, [0x49, 0x49, 0x2a, 0x00], "image/tiff"],
  [0, [0x4d, 0x4d, 0x00, 0x2a], "image/tiff"],
  [0, "fLaC", "audio/flac"],
  [0, "OggS", "audio/ogg", (b) => b[4] === 0],
  [0, "ID3", "audio/mpeg", (b) => b[3]! >= 2 && b[3]! <= 4 && b[4]! < 0xff],
  [0, [0x7f, 0x45, 0x4c, 0x46], "application/x-executable"], // ELF
  [0, "MZ", "application/x-msdownload"], // PE
  [0, [0xfe, 0xed, 0xfa, 0xce], "application/x-mach-binary"],
  [0, [0xfe, 0xed, 0xfa, 0xcf], "application/x-mach-binary"],
  [0, [0xce, 0xfa, 0xed, 0xfe], "application/x-mach-binary"],
  [0, [0xcf, 0xfa, 0xed, 0xfe], "application/x-mach-binary"],
  [0, [0xca, 0xfe, 0xba, 0xbe], "application/x-mach-binary"], // universal binary (and Java class files: compiled either way)
];

/** The HDF5 superblock may follow a user block of 512, 1024, 2048 … bytes. */
const HDF5_SIGNATURE = [0x89, ...ascii("HDF\r\n"), 0x1a, 0x0a];
const HDF5_OFFSETS = [0, 512, 1024, 2048, 4096, 8192, 16384, 32768];
/** RIFF containers by their form type (bytes 8–11). */
const RIFF: Record<string, string> = { WEBP: "image/webp", WAVE: "audio/wav", AVI: "video/x-msvideo" };
/** ISO base media (bytes 4–7 "ftyp") by major brand. */
const AUDIO_BRANDS = new Set(["M4A ", "M4B ", "M4P "]);
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function at(bytes: Uint8Array, offset: number, magic: number[] | string): boolean {
  const m = typeof magic === "string" ? ascii(magic) : magic;
  return bytes.length >= offset + m.length && m.every((b, i) => bytes[offset + i] === b);
}

const u32le = (b: Uint8Array, offset: number) => (b.length >= offset + 4 ? new DataView(b.buffer, b.byteOffset + offset, 4).getUint32(0, true) : -1);

const latin1 = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/** The names of the zip's local file headers found in the prefix, with the first entry's stored bytes. */
function zipEntries(bytes: Uint8Array): { names: string[]; first: string } {
  const names: string[] = [];
  let first = "";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 30 <= bytes.length && at(bytes, offset, ZIP_LOCAL) && names.length < 64) {
    const method = view.getUint16(offset + 8, true);
    const compressed = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const dataStart = offset + 30 + nameLength + extraLength;
    names.push(latin1(bytes, offset + 30, offset + 30 + nameLength));
    if (names.length === 1 && method === 0) first = latin1(bytes, dataStart, dataStart + Math.min(compressed, 100));
    // A size deferred to a data descriptor (flag bit 3) cannot be walked from here.
    if (view.getUint16(offset + 6, true) & 0x08) break;
    offset = dataStart + compressed;
  }
  return { names, first };
}

const OOXML: [prefix: string, mediaType: string][] = [
  ["word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ["xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ["ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"],
];

/** A zip, or the container formats built on it: EPUB and OpenDocument (a stored `mimetype` first), Office Open XML, NumPy .npz. */
function zipKind(bytes: Uint8Array): string {
  const { names, first } = zipEntries(bytes);
  if (names[0] === "mimetype" && /^application\/(epub\+zip|vnd\.oasis\.opendocument\.[a-z.-]+)$/.test(first)) return first;
  if (names.includes("[Content_Types].xml")) {
    for (const [prefix, type] of OOXML) if (names.some((n) => n.startsWith(prefix))) return type;
  }
  if (names.length > 0 && names.every((n) => n.endsWith(".npy"))) return "application/x-npz";
  return "application/zip";
}

/** The media type a binary prefix's signature names, if any. */
function binaryKind(bytes: Uint8Array): string | undefined {
  if (at(bytes, 0, ZIP_LOCAL) || at(bytes, 0, ZIP_EMPTY)) return zipKind(bytes);
  for (const [offset, magic, type, check] of MAGIC) if (at(bytes, offset, magic) && (!check || check(bytes))) return type;
  if (HDF5_OFFSETS.some((o) => at(bytes, o, HDF5_SIGNATURE))) return "application/x-hdf5";
  if (at(bytes, 0, "RIFF")) return RIFF[latin1(bytes, 8, 12).trimEnd()];
  if (at(bytes, 4, "ftyp")) return AUDIO_BRANDS.has(latin1(bytes, 8, 12)) ? "audio/mp4" : "video/mp4";
  // An MPEG audio frame sync (11 set bits) with a valid layer.
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0) return "audio/mpeg";
  return undefined;
}

const HTML_START = /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i;
const MARKDOWN_LINE = /^(#{1,6} \S|[-*+] \S|\d+\. \S|```|> \S)|\[[^\]]+\]\([^)]+\)/m;
const CODE_HINT =
  /^\s*(import\s+[\w{*]|from\s+\S+\s+import|export\s+|def\s+\w+\s*\(|class\s+\w+|function\s+\w+\s*\(|(const|let|var)\s+\w+\s*=|#include\s*[<"]|package\s+[\w.]+;?|fn\s+\w+\s*\(|func\s+\w+\s*\(|public\s+(static\s+)?(class|void|int)|using\s+[\w.]+;|#!\/)/m;
const TABLE_EXTENSIONS = /\.(csv|tsv)$/i;
/** Source files by name (a repository's code, an upload's language). */
export const isSourceName = (fileName: string) => CODE_EXTENSIONS.test(fileName);
const CODE_EXTENSIONS = /\.(c|cc|cpp|h|hpp|cs|go|java|js|jsx|mjs|cjs|ts|tsx|py|rb|rs|php|swift|kt|scala|sh|bash|sql|sol|lua|r|jl|hs|ex|exs|erl|clj|dart|vue|svelte|yaml|yml|toml|ini|cfg)$/i;

/** Decodes a prefix as UTF-8, tolerating a character cut at the end; undefined if it is not text. */
function asText(prefix: Uint8Array, complete: boolean): string | undefined {
  if (prefix.includes(0)) return undefined;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let trim = 0; trim <= (complete ? 0 : 3); trim++) {
    try {
      return decoder.decode(prefix.subarray(0, prefix.length - trim));
    } catch {
      // try again without a possibly cut trailing character
    }
  }
  return undefined;
}

/** Delimited text: most sampled lines carry the same (non-zero) number of one delimiter. */
function delimited(lines: string[], fileName: string): "text/csv" | "text/tab-separated-values" | undefined {
  if (lines.length < 2) return undefined;
  const hinted = TABLE_EXTENSIONS.exec(fileName)?.[1]?.toLowerCase();
  for (const [delimiter, type] of [
    ["\t", "text/tab-separated-values"],
    [",", "text/csv"],
    [";", "text/csv"],
  ] as const) {
    const counts = lines.map((l) => l.split(delimiter).length - 1);
    const tally = new Map<number, number>();
    for (const c of counts) if (c > 0) tally.set(c, (tally.get(c) ?? 0) + 1);
    const mode = Math.max(0, ...tally.values());
    const share = mode / lines.length;
    if (share >= 0.6 || (hinted && share >= 0.3)) return hinted === "tsv" ? "text/tab-separated-values" : type;
  }
  return undefined;
}

export function sniffMediaType(prefix: Uint8Array, fileName: string, complete: boolean): string {
  const binary = binaryKind(prefix);
  if (binary) return binary;
  const text = asText(prefix, complete);
  if (text === undefined) return "application/octet-stream";
  const body = text.replace(/^\uFEFF/, "");
  const trimmed = body.trimStart();
  if (HTML_START.test(trimmed)) return "text/html";
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const lines = trimmed.split("\n").filter((l) => l.trim() !== "");
    if (lines.length > 1 && lines.slice(0, complete ? undefined : -1).every((l) => l.trim().startsWith("{") && l.trim().endsWith("}"))) {
      return "application/x-ndjson";
    }
    if (!complete) return "application/json";
    try {
      JSON.parse(body);
      return "application/json";
    } catch {
      // not JSON after all; fall through to the text rules
    }
  }
  const lines = body.split(/\r?\n/).filter((l) => l !== "");
  const sample = complete ? lines.slice(0, 50) : lines.slice(0, Math.min(50, lines.length - 1));
  if (CODE_EXTENSIONS.test(fileName) || CODE_HINT.test(body)) return "text/x-source";
  const table = delimited(sample, fileName);
  if (table) return table;
  if (/\.(md|markdown)$/i.test(fileName) || MARKDOWN_LINE.test(body)) return "text/markdown";
  return "text/plain";
}

/** Compiled programs: refused whatever the declared type. */
export const EXECUTABLE_TYPES: ReadonlySet<string> = new Set(["application/x-executable", "application/x-msdownload", "application/x-mach-binary"]);

const OPEN_DOCUMENT = /^application\/vnd\.oasis\.opendocument\./;

/**
 * What people call each media type: the upload page says what a type accepts in these words, the
 * server's refusals too. Client-safe (no imports at run time), so the browser checks with the same list.
 */
export const FORMAT_NAMES: Readonly<Record<string, string>> = {
  "text/x-source": "source code",
  "text/plain": "plain text",
  "text/markdown": "Markdown",
  "text/html": "HTML",
  "text/csv": "CSV",
  "text/tab-separated-values": "TSV",
  "application/json": "JSON",
  "application/x-ndjson": "NDJSON",
  "application/vnd.apache.parquet": "Parquet",
  "application/vnd.apache.arrow.file": "Arrow/Feather",
  "application/x-feather": "Feather v1",
  "application/x-npy": "NumPy .npy",
  "application/x-npz": "NumPy .npz",
  "application/x-hdf5": "HDF5",
  "application/vnd.sqlite3": "SQLite",
  "application/zip": "zip",
  "application/x-tar": "tar",
  "application/gzip": "gzip",
  "application/zstd": "zstd",
  "application/x-xz": "xz",
  "application/x-bzip2": "bzip2",
  "application/x-7z-compressed": "7z",
  "application/pdf": "PDF",
  "application/epub+zip": "EPUB",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
  "application/x-ole-storage": "legacy Office (.doc, .xls, .ppt)",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "image/bmp": "BMP image",
  "image/tiff": "TIFF image",
  "audio/wav": "WAV audio",
  "audio/flac": "FLAC audio",
  "audio/ogg": "Ogg audio",
  "audio/mpeg": "MP3 audio",
  "audio/mp4": "M4A audio",
  "video/mp4": "MP4 video",
  "video/x-msvideo": "AVI video",
  "application/x-executable": "program (ELF)",
  "application/x-msdownload": "Windows program",
  "application/x-mach-binary": "macOS program",
  "application/octet-stream": "binary data",
};

/** A media type in words ("text/csv" → "CSV"), the media type itself when it has no name. */
export const formatName = (mediaType: string) => FORMAT_NAMES[mediaType] ?? mediaType;

/** Formats a dataset is recognised as (it takes others too): named on the page and in refusals. */
const DATASET_RECOGNISED = [
  "text/csv",
  "text/tab-separated-values",
  "application/json",
  "application/x-ndjson",
  "application/vnd.apache.parquet",
  "application/vnd.apache.arrow.file",
  "application/x-npy",
  "application/x-npz",
  "application/x-hdf5",
  "application/vnd.sqlite3",
  "application/x-tar",
  "application/zip",
  "application/gzip",
  "application/zstd",
  "application/x-xz",
  "application/x-bzip2",
  "application/x-7z-compressed",
];

/**
 * What each file type takes. A dataset is any file but a program or HTML (recognised formats keep
 * their media type; other binary data is application/octet-stream); code is a source file or a
 * repository archive; a document is text, PDF or an e-book/office container. The upload page names
 * `named` (default: `types`) in words, then `more` for what `also` takes (acceptedFormats).
 */
const ACCEPTED: Record<FileType, { types: readonly string[]; also?: (mediaType: string) => boolean; named?: readonly string[]; more?: string }> = {
  code: {
    types: ["text/x-source", "text/plain", "text/markdown", "application/json", "application/x-ndjson", "text/csv", "text/html", "application/zip", "application/x-tar", "application/gzip", "application/zstd"],
  },
  dataset: {
    types: [],
    also: (mediaType) => !EXECUTABLE_TYPES.has(mediaType) && mediaType !== "text/html",
    named: DATASET_RECOGNISED,
    more: "images, audio, or any other data file (not a program or HTML)",
  },
  document: {
    types: [
      "application/pdf",
      "text/markdown",
      "text/plain",
      "text/html",
      "application/epub+zip",
      ...OOXML.map(([, type]) => type),
      "application/x-ole-storage",
    ],
    also: (mediaType) => OPEN_DOCUMENT.test(mediaType),
    more: "OpenDocument",
  },
};

/** What a file type accepts in words, for people: "CSV, TSV, JSON, …, images, audio, or any other data file …". */
export function acceptedFormats(fileType: FileType): string {
  const rule = ACCEPTED[fileType];
  const names = [...new Set((rule.named ?? rule.types).map(formatName))];
  if (rule.more) names.push(rule.more);
  return names.join(", ");
}

export function acceptsMediaType(fileType: FileType, mediaType: string): boolean {
  const rule = ACCEPTED[fileType];
  return rule.types.includes(mediaType) || !!rule.also?.(mediaType);
}
