import "server-only";

import { readContent } from "@/lib/ipfs/content";

export const PREVIEW_BYTES = 32 * 1024;
const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;

export type Preview =
  | { kind: "text"; text: string; truncated: boolean }
  | { kind: "table"; rows: string[][]; truncated: boolean }
  | { kind: "binary"; mediaType: string };

/**
 * The first PREVIEW_BYTES of a file, for reviewers: text as text (rendered escaped by React),
 * CSV/TSV as a small table, JSON pretty-printed when it is complete; never HTML, never a binary.
 */
export async function previewContribution(c: { cid: string; size: number; mediaType: string }): Promise<Preview> {
  if (!TEXTUAL.test(c.mediaType)) return { kind: "binary", mediaType: c.mediaType };
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
