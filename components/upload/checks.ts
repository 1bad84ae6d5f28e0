import { DESCRIPTION_MAX, FILE_TYPES, TITLE_MAX, type FileType } from "@/db/vocabulary";
import { SNIFF_BYTES, acceptsMediaType, formatName, sniffMediaType } from "@/lib/formats/sniff";
import { formatBytes } from "@/lib/format";

/**
 * The browser's own checks, run before a byte is sent: the same limits as the server's upload schema
 * (db/vocabulary.ts, read by lib/contributions/upload-schema.ts) and the same sniffing rules
 * (lib/formats/sniff.ts) on the file's first 64 KiB. The server checks again at creation; this only
 * spares people the wait.
 */
export type FieldErrors = Partial<Record<"title" | "description" | "file_type" | "metadata" | "file", string[]>>;

export function titleErrors(title: string): string[] | undefined {
  if (title.trim() === "") return ["Title is required"];
  if (title.length > TITLE_MAX) return [`Title is at most ${TITLE_MAX} characters (${title.length} now)`];
  return undefined;
}

export function descriptionErrors(description: string): string[] | undefined {
  return description.length > DESCRIPTION_MAX ? [`Description is at most 5,000 characters (${description.length.toLocaleString("en")} now)`] : undefined;
}

/** The media type the server will find in this file: the same sniffer on the same prefix. */
export async function sniffFile(file: File): Promise<string> {
  const prefix = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  return sniffMediaType(prefix, file.name, file.size <= SNIFF_BYTES);
}

/** Why this file cannot be uploaded as `fileType` (or at all), in words; undefined when it can. */
export function fileErrors(file: { size: number }, mediaType: string | undefined, fileType: FileType, maxBytes: number): { file?: string[]; file_type?: string[] } {
  if (file.size === 0) return { file: ["The file is empty"] };
  if (file.size > maxBytes) return { file: [`This file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}`] };
  if (mediaType && !acceptsMediaType(fileType, mediaType)) {
    // What it is accepted as instead, if anything: the accepted formats are listed beside the field already.
    const instead = FILE_TYPES.filter((t) => t !== fileType && acceptsMediaType(t, mediaType));
    const hint = instead.length ? ` It would be accepted as ${instead.map((t) => `${article(t)} ${t}`).join(" or ")}.` : "";
    return { file_type: [`This file's content is recognised as ${formatName(mediaType)}, which is not accepted as ${article(fileType)} ${fileType}.${hint}`] };
  }
  return {};
}

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

/** The type a file most likely is, so that a CSV is not offered as code first (people can change it). */
export function guessType(mediaType: string): FileType {
  if (mediaType === "text/x-source") return "code";
  if (acceptsMediaType("document", mediaType)) return "document";
  return acceptsMediaType("dataset", mediaType) ? "dataset" : "code";
}

/** A file name without its extension, as a first title ("field notes.md" → "field notes"). */
export const titleFromName = (name: string) => (name.replace(/\.[^.]+$/, "") || name).slice(0, TITLE_MAX);
