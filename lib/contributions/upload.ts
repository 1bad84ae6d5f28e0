import "server-only";

import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";

import Busboy from "busboy";

import { fileType as fileTypeEnum, type FileType } from "@/db/schema";
import { METADATA_MAX_BYTES, uploadFields } from "./upload-schema";
import { getEnv } from "@/lib/config/env";
import { BadRequestError, PayloadTooLargeError, RequestTimeoutError, UnsupportedMediaTypeError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { closeConnectionAfter, discardRest } from "@/lib/http/request-body";
import { addContent, type PendingContent } from "@/lib/ipfs/content";

import { createContribution } from "./create";
import { SNIFF_BYTES, acceptedMediaTypes, acceptsMediaType, sniffMediaType } from "./sniff";

/** Room for the text fields and multipart framing on top of the file itself. */
const FIELDS_OVERHEAD = 64 * 1024;

// Control characters, and bidirectional overrides/isolates that make "invoice\u202Efdp.exe" display
// as "invoiceexe.pdf" (a classic file-name spoof).
const CONTROL_CHARS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
const PATH_PART = /^.*[\\/]/;

export function cleanFileName(name: string | undefined): string {
  const cleaned = (name ?? "").replace(PATH_PART, "").replace(CONTROL_CHARS, "").trim().normalize("NFC");
  return [...cleaned].slice(0, 255).join("") || "upload";
}

const formatBytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB` : `${Math.round(n / 1024 ** 2)} MiB`);

interface FileState {
  name: string;
  mediaType?: string;
  size: number;
}

/**
 * Streams a multipart upload straight into the IPFS node: the file is never buffered (only its
 * first 64 KB, to sniff the media type), the size cap is enforced while streaming, and a sha256 is
 * computed on the way. Any failure leaves no row and no block behind.
 */
export async function receiveUpload(request: Request, userId: string) {
  const { MAX_UPLOAD_BYTES, UPLOAD_IDLE_TIMEOUT_MS } = getEnv();
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new UnsupportedMediaTypeError("Send the upload as multipart/form-data");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const tooLarge = () => new PayloadTooLargeError(`File exceeds the ${formatBytes(MAX_UPLOAD_BYTES)} upload limit (MAX_UPLOAD_BYTES)`);
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + FIELDS_OVERHEAD) throw tooLarge();
  if (!request.body) throw new BadRequestError("Empty request body");

  const fields: Record<string, string> = {};
  const file: FileState = { name: "upload", size: 0 };
  let importing: Promise<PendingContent> | undefined;
  let parseError: Error | undefined;

  let busboy: Busboy.Busboy;
  try {
    busboy = Busboy({
      headers: { "content-type": contentType },
      // Browsers send UTF-8 file names; busboy's default would read them as latin1.
      defParamCharset: "utf8",
      limits: { files: 1, fields: 8, parts: 10, fieldSize: METADATA_MAX_BYTES + 1024, fileSize: MAX_UPLOAD_BYTES + 1 },
    });
  } catch (error) {
    throw new BadRequestError(`Malformed multipart Content-Type: ${(error as Error).message}`);
  }
  const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);

  const parsed = new Promise<void>((resolve, reject) => {
    busboy.on("field", (name, value, info) => {
      if (info.valueTruncated) parseError ??= new ValidationError("Please correct the highlighted fields", { [name]: ["is too long"] });
      else fields[name] = value;
    });
    busboy.on("file", (name, stream, info) => {
      if (name !== "file" || importing) {
        parseError ??= new BadRequestError("Send exactly one file, in the field named \"file\"");
        stream.resume();
        return;
      }
      file.name = cleanFileName(info.filename);
      stream.on("limit", () => stream.destroy(tooLarge()));
      importing = addContent(inspect(stream, file, () => fields.file_type, MAX_UPLOAD_BYTES, tooLarge));
      // Surface an import failure now: the parser may be stalled behind the abandoned file stream.
      importing.catch((error: unknown) => reject(error));
    });
    busboy.on("partsLimit", () => (parseError ??= new BadRequestError("Too many form fields")));
    busboy.on("fieldsLimit", () => (parseError ??= new BadRequestError("Too many form fields")));
    busboy.on("close", resolve);
    busboy.on("error", (error) => reject(new BadRequestError(`Malformed multipart body: ${(error as Error).message}`)));
    body.on("error", () => reject(new BadRequestError("The upload was interrupted before it completed")));
    // A client that opens an upload and then sends nothing (slow-loris) is cut off, not waited for.
    const idle = () => reject(new RequestTimeoutError(`No data arrived for ${UPLOAD_IDLE_TIMEOUT_MS / 1000} s; the upload was abandoned`));
    let timer = setTimeout(idle, UPLOAD_IDLE_TIMEOUT_MS);
    body.on("data", () => {
      clearTimeout(timer);
      timer = setTimeout(idle, UPLOAD_IDLE_TIMEOUT_MS);
    });
    const stop = () => clearTimeout(timer);
    body.on("end", stop);
    body.on("close", stop);
    busboy.on("close", stop);
    busboy.on("error", stop);
  });
  body.pipe(busboy);

  let pending: PendingContent | undefined;
  try {
    await parsed;
    pending = await importing;
    if (parseError) throw parseError;
    if (!pending) throw new ValidationError("Please correct the highlighted fields", { file: ["A file is required"] });
    const input = uploadFields.safeParse(fields);
    if (!input.success) {
      throw new ValidationError("Please correct the highlighted fields", fieldErrorsFrom(input.error.issues));
    }
    if (pending.content.size === 0) throw new ValidationError("The file is empty", { file: ["The file is empty (0 bytes)"] });
    assertAccepted(input.data.file_type, file.mediaType!);

    await pending.pin();
    const created = await createContribution({
      userId,
      cid: pending.content.cid,
      sha256: pending.content.sha256,
      size: pending.content.size,
      fileName: file.name,
      fileType: input.data.file_type,
      mediaType: file.mediaType!,
      title: input.data.title,
      description: input.data.description,
      metadata: input.data.metadata,
    });
    return { id: created.id, cid: pending.content.cid, duplicateOf: created.duplicateOf };
  } catch (error) {
    body.unpipe(busboy);
    busboy.destroy();
    if (error instanceof RequestTimeoutError) {
      // A stalled client sends nothing more: stop holding its stream, end the connection.
      closeConnectionAfter(request);
      body.destroy();
    } else {
      // Never destroyed: that would reset the client's next request on this connection. What it
      // still sends is read and dropped (lib/http/request-body.ts).
      discardRest(body);
    }
    if (!pending) pending = await importing?.catch(() => undefined);
    await pending?.discard();
    throw error;
  }
}

function assertAccepted(type: FileType, mediaType: string) {
  if (!acceptsMediaType(type, mediaType)) {
    throw new UnsupportedMediaTypeError(`The file looks like ${mediaType}, which is not accepted as a ${type} (accepted: ${acceptedMediaTypes(type).join(", ")})`, {
      mediaType,
    });
  }
}

/** Sniffs the first 64 KB, counts bytes against the cap, and passes every chunk on untouched. */
async function* inspect(
  stream: AsyncIterable<Buffer>,
  file: FileState,
  declaredType: () => string | undefined,
  max: number,
  tooLarge: () => Error,
): AsyncGenerator<Uint8Array> {
  const head: Buffer[] = [];
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
