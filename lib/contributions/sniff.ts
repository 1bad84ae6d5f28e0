import type { FileType } from "@/db/schema";

/**
 * Media type from the bytes themselves (never the client's Content-Type), and which file types
 * each media type may be declared as. Only a bounded prefix is read (SNIFF_BYTES).
 */
export const SNIFF_BYTES = 64 * 1024;

const MAGIC: [bytes: number[], mediaType: string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], "application/pdf"], // %PDF-
  [[0x50, 0x41, 0x52, 0x31], "application/vnd.apache.parquet"], // PAR1
  [[0x1f, 0x8b], "application/gzip"],
  [[0x50, 0x4b, 0x03, 0x04], "application/zip"],
  [[0x89, 0x50, 0x4e, 0x47], "image/png"],
  [[0xff, 0xd8, 0xff], "image/jpeg"],
  [[0x47, 0x49, 0x46, 0x38], "image/gif"],
  [[0x7f, 0x45, 0x4c, 0x46], "application/x-executable"], // ELF
  [[0x4d, 0x5a], "application/x-msdownload"], // MZ
];

const HTML_START = /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i;
const MARKDOWN_LINE = /^(#{1,6} \S|[-*+] \S|\d+\. \S|```|> \S)|\[[^\]]+\]\([^)]+\)/m;
const CODE_HINT =
  /^\s*(import\s+[\w{*]|from\s+\S+\s+import|export\s+|def\s+\w+\s*\(|class\s+\w+|function\s+\w+\s*\(|(const|let|var)\s+\w+\s*=|#include\s*[<"]|package\s+[\w.]+;?|fn\s+\w+\s*\(|func\s+\w+\s*\(|public\s+(static\s+)?(class|void|int)|using\s+[\w.]+;|#!\/)/m;
const TABLE_EXTENSIONS = /\.(csv|tsv)$/i;
const CODE_EXTENSIONS = /\.(c|cc|cpp|h|hpp|cs|go|java|js|jsx|mjs|cjs|ts|tsx|py|rb|rs|php|swift|kt|scala|sh|bash|sql|sol|lua|r|jl|hs|ex|exs|erl|clj|dart|vue|svelte|yaml|yml|toml|ini|cfg)$/i;

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

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
  for (const [magic, type] of MAGIC) if (startsWith(prefix, magic)) return type;
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

const ACCEPTED: Record<FileType, ReadonlySet<string>> = {
  code: new Set(["text/x-source", "text/plain", "text/markdown", "application/json", "application/x-ndjson", "text/csv", "text/html", "application/zip", "application/gzip"]),
  dataset: new Set(["text/csv", "text/tab-separated-values", "application/json", "application/x-ndjson", "application/vnd.apache.parquet", "application/gzip", "application/zip"]),
  document: new Set(["application/pdf", "text/markdown", "text/plain", "text/html"]),
};

export function acceptsMediaType(fileType: FileType, mediaType: string): boolean {
  return ACCEPTED[fileType].has(mediaType);
}

export function acceptedMediaTypes(fileType: FileType): string[] {
  return [...ACCEPTED[fileType]];
}
