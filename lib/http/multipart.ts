import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";

import Busboy from "busboy";

import { BadRequestError, RequestTimeoutError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";

import { closeConnectionAfter, discardRest } from "./request-body";

/** Room for the text fields and multipart framing on top of the file itself. */
const FIELDS_OVERHEAD = 64 * 1024;
const MULTIPART = /^multipart\/form-data/i;

export interface MultipartLimits {
  /** Largest file accepted; a larger declared body is refused before it is read. */
  maxFileBytes: number;
  /** Largest text field. */
  maxFieldBytes: number;
  /** A client that sends nothing for this long is cut off (slow-loris guard). */
  idleTimeoutMs: number;
  /** The error for a file over `maxFileBytes` (its message names the setting). */
  tooLarge: () => Error;
}

/** The one file part of a multipart body, handed over while the body is still arriving. */
export interface MultipartFile {
  /** The file name as the client sent it (not cleaned). */
  fileName: string | undefined;
  /** The file's bytes, as they arrive: read it, or the parser stalls. */
  stream: AsyncIterable<Uint8Array>;
  /** The text fields: those sent before the file are here at once, all of them once `complete` resolves. */
  fields: Readonly<Record<string, string>>;
  /** Resolves when the whole body has been read; rejects with its first problem. Await it before using `fields`. */
  complete: Promise<void>;
}

/**
 * Parses a multipart/form-data body as it streams, for exactly one file in the field named
 * `fileField`: `handle` gets the file as soon as its part starts (never buffered). The HTTP side
 * lives here — Content-Type, declared length, the idle timer, and what happens to the rest of the
 * body on a refusal (drained so the keep-alive connection survives, or closed for a stalled client:
 * lib/http/request-body.ts).
 */
export async function receiveMultipartFile<T>(request: Request, fileField: string, limits: MultipartLimits, handle: (file: MultipartFile) => Promise<T>): Promise<T> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!MULTIPART.test(contentType)) throw new UnsupportedMediaTypeError("Send the upload as multipart/form-data");
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxFileBytes + FIELDS_OVERHEAD) throw limits.tooLarge();
  if (!request.body) throw new BadRequestError("Empty request body");

  const busboy = openParser(contentType, limits);
  const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
  const fields: Record<string, string> = {};
  let handled: Promise<T> | undefined;
  // One outcome for the body: read to the end, or its first problem (a parse error, the idle timer,
  // or the handler's own failure). The handler waits on it, so it never goes on with half a body.
  const complete = new Promise<void>((resolve, fail) => {
    // Problems that do not stop the parser: reported once the body is read.
    let softError: Error | undefined;
    busboy.on("close", () => (softError ? fail(softError) : resolve()));
    busboy.on("field", (name, value, info) => {
      if (info.valueTruncated) softError ??= new ValidationError("Please correct the highlighted fields", { [name]: ["is too long"] });
      else fields[name] = value;
    });
    busboy.on("file", (name, stream, info) => {
      // A body cut off mid-file destroys this stream with busboy's error, reported through busboy's
      // own "error" below; a stream nobody reads any more (ignored, or its handler gave up) would
      // otherwise throw it as an uncaught exception and take the server down.
      stream.on("error", () => undefined);
      if (name !== fileField || handled) {
        softError ??= new BadRequestError(`Send exactly one file, in the field named "${fileField}"`);
        stream.resume();
        return;
      }
      stream.on("limit", () => stream.destroy(limits.tooLarge()));
      handled = handle({ fileName: info.filename, stream, fields, complete });
      // Surface a failure now: the parser may be stalled behind the abandoned file stream.
      handled.catch(fail);
    });
    busboy.on("partsLimit", () => (softError ??= new BadRequestError("Too many form fields")));
    busboy.on("fieldsLimit", () => (softError ??= new BadRequestError("Too many form fields")));
    busboy.on("error", (error) => fail(new BadRequestError(`Malformed multipart body: ${(error as Error).message}`)));
    body.on("error", () => fail(new BadRequestError("The upload was interrupted before it completed")));
    watchIdle(body, busboy, limits.idleTimeoutMs, fail);
  });
  body.pipe(busboy);

  try {
    await complete;
    if (!handled) throw new ValidationError("Please correct the highlighted fields", { [fileField]: ["A file is required"] });
    return await handled;
  } catch (error) {
    body.unpipe(busboy);
    busboy.destroy();
    if (error instanceof RequestTimeoutError) {
      // A stalled client sends nothing more: stop holding its stream, end the connection.
      closeConnectionAfter(request);
      body.destroy();
    } else {
      // Never destroyed: that would reset the client's next request on this connection. What it
      // still sends is read and dropped.
      discardRest(body);
    }
    // The handler cleans up after itself (its stream has ended); wait for it before answering.
    await handled?.catch(() => undefined);
    throw error;
  }
}

function openParser(contentType: string, limits: MultipartLimits): Busboy.Busboy {
  try {
    return Busboy({
      headers: { "content-type": contentType },
      // Browsers send UTF-8 file names; busboy's default would read them as latin1.
      defParamCharset: "utf8",
      limits: { files: 1, fields: 8, parts: 10, fieldSize: limits.maxFieldBytes, fileSize: limits.maxFileBytes + 1 },
    });
  } catch (error) {
    throw new BadRequestError(`Malformed multipart Content-Type: ${(error as Error).message}`);
  }
}

/** A client that opens an upload and then sends nothing (slow-loris) is cut off, not waited for. */
function watchIdle(body: Readable, busboy: Busboy.Busboy, ms: number, reject: (error: Error) => void): void {
  const idle = () => reject(new RequestTimeoutError(`No data arrived for ${ms / 1000} s; the upload was abandoned`));
  let timer = setTimeout(idle, ms);
  body.on("data", () => {
    clearTimeout(timer);
    timer = setTimeout(idle, ms);
  });
  const stop = () => clearTimeout(timer);
  body.on("end", stop);
  body.on("close", stop);
  busboy.on("close", stop);
  busboy.on("error", stop);
}
