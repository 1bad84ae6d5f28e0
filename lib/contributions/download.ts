import "server-only";

import { attachmentDisposition, parseRange } from "@/lib/http/range";
import { RangeNotSatisfiableError, problemResponse } from "@/lib/errors";
import { CorruptBlockError, readContent } from "@/lib/ipfs/content";

import { getContributionFile } from "./queries";
import { log } from "@/lib/log";

const TEXTUAL = /^text\/|^application\/(json|x-ndjson)$/;

/**
 * A contribution's bytes: streamed one window per pull (memory stays flat for any size and any
 * client speed), every block verified against its CID before it is sent, never rendered by the
 * browser (attachment + nosniff + sandbox), ranged on request.
 */
export async function downloadResponse(request: Request, id: string, method: "GET" | "HEAD"): Promise<Response> {
  const file = await getContributionFile(id);
  const etag = `"${file.cid}"`;
  const headers = new Headers({
    "Content-Type": TEXTUAL.test(file.mediaType) ? `${file.mediaType}; charset=utf-8` : file.mediaType,
    "Content-Disposition": attachmentDisposition(file.fileName),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    ETag: etag,
    "Accept-Ranges": "bytes",
    // Content-addressed: the bytes behind this id never change.
    "Cache-Control": "public, max-age=31536000, immutable",
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });

  const ifRange = request.headers.get("if-range");
  const range = ifRange && ifRange !== etag ? ({ kind: "full" } as const) : parseRange(request.headers.get("range"), file.size);
  if (range.kind === "unsatisfiable") {
    return problemResponse(new RangeNotSatisfiableError(file.size), new URL(request.url).pathname, { "Content-Range": `bytes */${file.size}` });
  }
  const start = range.kind === "partial" ? range.start : 0;
  const length = range.kind === "partial" ? range.end - range.start + 1 : file.size;
  headers.set("Content-Length", String(length));
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
