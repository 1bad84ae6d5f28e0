import "server-only";

import type { Tx } from "@/db/client";
import { fileType as fileTypeEnum, type FileType } from "@/db/schema";
import { METADATA_MAX_BYTES } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import type { MultipartLimits } from "@/lib/http/multipart";
import { addContent, type PendingContent } from "@/lib/ipfs/content";
import { formatBytes } from "@/lib/format";

import { createContribution } from "./create";
import { SNIFF_BYTES, acceptedFormats, acceptsMediaType, formatName, sniffMediaType } from "@/lib/formats/sniff";
import { uploadFields } from "./upload-schema";

// Control characters, and bidirectional overrides/isolates that make "invoice\u202Efdp.exe" display
// as "invoiceexe.pdf" (a classic file-name spoof).
const CONTROL_CHARS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
const PATH_PART = /^.*[\\/]/;

export function cleanFileName(name: string | undefined): string {
  const cleaned = (name ?? "").replace(PATH_PART, "").replace(CONTROL_CHARS, "").trim().normalize("NFC");
  return [...cleaned].slice(0, 255).join("") || "upload";
}


const tooLarge = () => new PayloadTooLargeError(`File exceeds the ${formatBytes(getEnv().MAX_UPLOAD_BYTES)} upload limit`);

/** What the HTTP side enforces while reading an upload (lib/http/multipart.ts). */
export function uploadLimits(): MultipartLimits {
  const { MAX_UPLOAD_BYTES, UPLOAD_IDLE_TIMEOUT_MS } = getEnv();
  return { maxFileBytes: MAX_UPLOAD_BYTES, maxFieldBytes: METADATA_MAX_BYTES + 1024, idleTimeoutMs: UPLOAD_IDLE_TIMEOUT_MS, tooLarge };
}

export interface UploadInput {
  userId: string;
  /** The file name as sent; cleaned here. */
  fileName: string | undefined;
  file: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
  /** The text fields (title, description, file_type, metadata); `file_type` is read early if already there. */
  fields: Readonly<Record<string, string>>;
  /** When the fields are complete (they may arrive after the file): awaited before they are validated. */
  complete?: Promise<void>;
  /** Writes committed with the contribution's row (see createContribution). */
  alsoInTransaction?: (tx: Tx, id: string) => Promise<void>;
}

interface FileState {
  name: string;
  mediaType?: string;
  size: number;
}

/**
 * Streams an upload straight into the IPFS node: the file is never buffered (only its first 64 KB,
 * to sniff the media type), the size cap is enforced while streaming, and a sha256 is computed on
 * the way. Any failure leaves no row and no block behind.
 */
export async function storeUpload(input: UploadInput): Promise<{ id: string; cid: string; duplicateOf: string | null }> {
  const file: FileState = { name: cleanFileName(input.fileName), size: 0 };
  let pending: PendingContent | undefined;
  try {
    pending = await addContent(inspect(coalesced(chunksOf(input.file)), file, () => input.fields.file_type, getEnv().MAX_UPLOAD_BYTES));
    await input.complete;
    const fields = uploadFields.safeParse(input.fields);
    if (!fields.success) throw new ValidationError("Please correct the highlighted fields", fieldErrorsFrom(fields.error.issues));
    if (pending.content.size === 0) throw new ValidationError("The file is empty", { file: ["The file is empty (0 bytes)"] });
    assertAccepted(fields.data.file_type, file.mediaType!);

    await pending.pin();
    const created = await createContribution({
      userId: input.userId,
      cid: pending.content.cid,
      sha256: pending.content.sha256,
      size: pending.content.size,
      fileName: file.name,
      fileType: fields.data.file_type,
      mediaType: file.mediaType!,
      title: fields.data.title,
      description: fields.data.description,
      metadata: fields.data.metadata,
    }, input.alsoInTransaction);
    return { id: created.id, cid: pending.content.cid, duplicateOf: created.duplicateOf };
  } catch (error) {
    await pending?.discard();
    throw error;
  }
}

async function* chunksOf(file: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in file) return yield* file;
  const reader = file.getReader();
  let ended = false;
  try {
    for (let r = await reader.read(); !(ended = r.done); r = await reader.read()) yield r.value;
  } finally {
    // Given up early (too large, wrong type): the rest is not wanted, as for an iterable.
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Pieces of at least this size go on to the node. */
const PIECE_BYTES = 256 * 1024;

/**
 * Joins small chunks into pieces of PIECE_BYTES (one buffer, reused for nothing else): the multipart
 * parser cuts binary data at every byte that could start a boundary (a CR every ~256 bytes in random
 * data), and millions of tiny chunks a gigabyte cost the importer more time and memory than the copy.
 */
async function* coalesced(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let filled = 0;
  for await (const chunk of stream) {
    if (filled === 0 && chunk.byteLength >= PIECE_BYTES) {
      yield chunk;
      continue;
    }
    let at = 0;
    while (at < chunk.byteLength) {
      const n = Math.min(PIECE_BYTES - filled, chunk.byteLength - at);
      piece.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === PIECE_BYTES) {
        yield piece;
        piece = Buffer.allocUnsafe(PIECE_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield piece.subarray(0, filled);
}

function assertAccepted(type: FileType, mediaType: string) {
  if (!acceptsMediaType(type, mediaType)) {
    throw new UnsupportedMediaTypeError(`The file looks like ${formatName(mediaType)} (${mediaType}), which is not accepted as ${type} (accepted: ${acceptedFormats(type)})`, {
      mediaType,
    });
  }
}

/** Sniffs the first 64 KB, counts bytes against the cap, and passes every chunk on untouched. */
async function* inspect(stream: AsyncIterable<Uint8Array>, file: FileState, declaredType: () => string | undefined, max: number): AsyncGenerator<Uint8Array> {
  const head: Uint8Array[] = [];
  let headBytes = 0;
  const sniff = (complete: boolean) => {
    file.mediaType = sniffMediaType(Buffer.concat(head).subarray(0, SNIFF_BYTES), file.name, complete);
    const type = declaredType();
    // Fields sent before the file let a wrong type fail before the rest is read.
    if (type && (fileTypeEnum.enumValues as readonly string[]).includes(type)) assertAccepted(type as FileType, file.mediaType);
  };
  for await (const chunk of stream) {
    file.size += chunk.byteLength;
    if (file.size > max) throw tooLarge();
    if (file.mediaType === undefined) {
      head.push(chunk);
      headBytes += chunk.byteLength;
      if (headBytes < SNIFF_BYTES) continue;
      sniff(false);
      for (const part of head) yield part;
      continue;
    }
    yield chunk;
  }
  if (file.mediaType === undefined) {
    // An empty file is reported as such (400) by the caller, not as a media type mismatch.
    if (file.size === 0) file.mediaType = "application/octet-stream";
    else sniff(true);
    for (const part of head) yield part;
  }
}
