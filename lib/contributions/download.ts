import "server-only";

import { evaluatePreconditions } from "@/lib/http/conditional";
import { declareContentLength } from "@/lib/http/content-length";
import { attachmentDisposition, parseRange } from "@/lib/http/range";
import { PreconditionFailedError, RangeNotSatisfiableError, problemResponse } from "@/lib/errors";
import { CorruptBlockError, readContent } from "@/lib/ipfs/content";

import { getContributionFile } from "./queries";
import type { ViewerSource } from "./visibility";
import { log } from "@/lib/log";

const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;

/**
 * A contribution's bytes: streamed one window per pull (memory stays flat for any size and any
 * client speed), every block verified against its CID before it is sent, never rendered by the
 * browser (attachment + nosniff + sandbox), ranged on request.
 */
export async function downloadResponse(request: Request, id: string, method: "GET" | "HEAD", viewer: ViewerSource): Promise<Response> {
  const file = await getContributionFile(id, viewer);
  // The validators and caching rules: all a 304 carries (RFC 9110 §15.4.5). Content-addressed, so
  // the bytes behind this id never change; no-transform keeps Next's compression (and any proxy)
  // from re-encoding them, which would drop the length and make byte ranges meaningless.
  // Withheld bytes reach only their owner and admins: never into a shared cache.
  const caching = file.withheld ? "private, no-store, no-transform" : "public, max-age=31536000, immutable, no-transform";
  const validators = { ETag: `"${file.cid}"`, "Cache-Control": caching };
  const condition = evaluatePreconditions(method, request.headers, { weak: false, opaque: file.cid });
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
  const start = range.kind === "partial" ? range.start : 0;
  const length = range.kind === "partial" ? range.end - range.start + 1 : file.size;
  // From the row, never by buffering: the body below is streamed.
  declareContentLength(headers, length);
  if (range.kind === "partial") headers.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
  const status = range.kind === "partial" ? 206 : 200;
  if (method === "HEAD") return new Response(null, { status, headers });

  const chunks = readContent(file.cid, { offset: start, length }, request.signal);
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (cancelled) return;
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          if (cancelled) return;
          if (error instanceof CorruptBlockError) log.error("download aborted: corrupted block", { contributionId: id, reason: error.message });
          else if (!request.signal.aborted) log.error("download failed", { contributionId: id, error });
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await chunks.return(undefined);
      },
    },
    // One chunk queued ahead: the next block is read only when the client has taken the previous.
    { highWaterMark: 1 },
  );
  return new Response(body, { status, headers });
}
