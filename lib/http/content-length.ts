import { ServerResponse } from "node:http";

/**
 * Next 16 drops `Content-Length` from every Response a route handler returns: `sendResponse`
 * (next/dist/server/send-response.js) skips its FORBIDDEN_HEADERS — content-length,
 * content-encoding, transfer-encoding — because a body fetch() has decoded would otherwise be
 * framed with the upstream's length. Node then sends the streamed body chunked, with no length, so
 * a client cannot show download progress. There is no option to keep it, so a route that knows the
 * exact byte count of its body also puts it in this private header, and the hook below — on the
 * Node response Next writes into — turns it into `Content-Length` as the head goes out.
 */
export const DECLARED_LENGTH = "x-nwu-content-length";

const DIGITS = /^\d+$/;

/** Sets the body's exact length: `Content-Length` for any runtime, and the header the hook reads. */
export function declareContentLength(headers: Headers, length: number): void {
  headers.set("Content-Length", String(length));
  headers.set(DECLARED_LENGTH, String(length));
}

let installed = false;

/**
 * Wraps `ServerResponse.prototype.writeHead` (which `flushHeaders`, the first `write` and `end` all
 * go through) once per process. Next's compression middleware wraps each response's own
 * `writeHead` and decides first: when it compresses it sets Content-Encoding, and the declared
 * length — of the uncompressed bytes — is then dropped, never sent.
 */
export function installContentLengthHook(): void {
  if (installed) return;
  installed = true;
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
    const declared = this.headersSent ? undefined : this.getHeader(DECLARED_LENGTH);
    if (declared !== undefined) {
      this.removeHeader(DECLARED_LENGTH);
      const framed = this.hasHeader("content-length") || this.hasHeader("content-encoding") || this.hasHeader("transfer-encoding");
      if (!framed && DIGITS.test(String(declared))) this.setHeader("Content-Length", String(declared));
    }
    return writeHead.apply(this, args);
  } as typeof writeHead;
}
