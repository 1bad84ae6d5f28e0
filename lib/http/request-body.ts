import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";

/**
 * A refusal (4xx/5xx) of a request whose body was not read to the end must reach a keep-alive
 * client and must not cost the next request on its connection. Under `next start` the request body
 * is the socket's own IncomingMessage, so:
 * - destroying it (cancelling `request.body`) tears the connection down as soon as the next chunk
 *   arrives — after the answer, under the client's next request, which is reset (ECONNRESET);
 * - `Connection: close` on the answer makes Node close the socket right after it while the client
 *   may still be sending, and the client gets EPIPE/ECONNRESET instead of the answer (measured:
 *   20 of 20 for an early 413 of a 20 MiB upload) — Node has no lingering close.
 * What works is what Node itself does with a body nobody touched: answer now, then read and throw
 * away what the client still sends so the connection can carry the next request. We do it for
 * every refusal, bounded: a client still sending after DRAIN_BYTES or DRAIN_MS (it ignores the
 * answer it was given, so it has no next request on this connection yet) is cut off.
 */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 30_000;

const mustClose = new WeakSet<Request>();

/**
 * The answer to this request ends its connection: only for a client that has stopped sending (a
 * stalled upload), where closing cannot cut into a body still on its way.
 */
export function closeConnectionAfter(request: Request): void {
  mustClose.add(request);
}

/**
 * A handler that was reading `body` (a Node stream over `request.body`) and stops early: the rest
 * is read and discarded in the background, within the budget, instead of destroyed.
 */
export function discardRest(body: Readable): void {
  if (body.readableEnded || body.destroyed) return;
  // A client that goes away mid-drain errors the stream: expected, nothing to report.
  body.on("error", () => {});
  let bytes = 0;
  const cutOff = () => {
    clearTimeout(timer);
    body.destroy();
  };
  // unref: a drain never keeps a process alive on its own.
  const timer = setTimeout(cutOff, DRAIN_MS).unref();
  const done = () => clearTimeout(timer);
  body.on("data", (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    if (bytes > DRAIN_BYTES) cutOff();
  });
  body.once("end", done).once("close", done);
  body.resume();
}

/**
 * The route wrappers' last step: a refusal of a request whose body nobody touched (refused before
 * the handler read anything: 401, 403, a wrong Content-Type, a declared length over the cap) has
 * its body drained like a half-read one; a request marked by closeConnectionAfter closes.
 */
export function settleRequestBody(request: Request, response: Response): Response {
  if (response.status < 400 || request.body === null) return response;
  if (mustClose.has(request)) {
    try {
      response.headers.set("Connection", "close");
    } catch {
      // Immutable headers (a Response.redirect): not a refusal of a body.
    }
  } else if (!request.bodyUsed && !request.body.locked) {
    discardRest(Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>));
  }
  return response;
}
