import { PreconditionFailedError, RangeNotSatisfiableError, problemResponse } from "@/lib/errors";

import { evaluatePreconditions } from "./conditional";
import { declareContentLength } from "./content-length";
import { attachmentDisposition, parseRange } from "./range";

const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;

/** A stored file as HTTP serves it: identity, size, type, name, and who may cache it. */
export interface ServedFile {
  /** Content address: the strong ETag (the bytes behind it never change). */
  etag: string;
  size: number;
  mediaType: string;
  fileName: string;
  /** Reaches only some viewers (withheld content): never into a shared cache. */
  private: boolean;
}

/**
 * The HTTP answer for a stored file: conditional requests (304/412), byte ranges (206/416),
 * HEAD, and headers that keep browsers from ever rendering it (attachment + nosniff + sandbox).
 * `open` gives the bytes of the range to send, read only for a GET that sends a body.
 */
export function fileResponse(request: Request, method: "GET" | "HEAD", file: ServedFile, open: (range: { offset: number; length: number }) => ReadableStream<Uint8Array>): Response {
  // The validators and caching rules: all a 304 carries (RFC 9110 §15.4.5). No-transform keeps
  // Next's compression (and any proxy) from re-encoding the bytes, which would drop the length and
  // make byte ranges meaningless.
  const caching = file.private ? "private, no-store, no-transform" : "public, max-age=31536000, immutable, no-transform";
  const validators = { ETag: `"${file.etag}"`, "Cache-Control": caching };
  const condition = evaluatePreconditions(method, request.headers, { weak: false, opaque: file.etag });
  if (condition.outcome === "not-modified") return new Response(null, { status: 304, headers: validators });
  if (condition.outcome === "failed") throw new PreconditionFailedError(`If-Match names none of this file's entity tags (its ETag is ${validators.ETag})`);

  // Range is defined for GET only (§14.2); a failed If-Range asks for the whole file (§13.1.5).
  const range = method === "GET" && condition.range ? parseRange(request.headers.get("range"), file.size) : ({ kind: "full" } as const);
  if (range.kind === "unsatisfiable") {
    return problemResponse(new RangeNotSatisfiableError(file.size), new URL(request.url).pathname, { "Content-Range": `bytes */${file.size}` });
  }
  const headers = new Headers({
    ...validators,
    "Content-Type": TEXTUAL.test(file.mediaType) ? `${file.mediaType}; charset=utf-8` : file.mediaType,
    "Content-Disposition": attachmentDisposition(file.fileName),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Accept-Ranges": "bytes",
  });
  const offset = range.kind === "partial" ? range.start : 0;
  const length = range.kind === "partial" ? range.end - range.start + 1 : file.size;
  // From the stored size, never by buffering: the body is streamed.
  declareContentLength(headers, length);
  if (range.kind === "partial") headers.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
  const status = range.kind === "partial" ? 206 : 200;
  if (method === "HEAD") return new Response(null, { status, headers });
  return new Response(open({ offset, length }), { status, headers });
}
