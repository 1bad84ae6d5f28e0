import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

import { NodeNextRequest, NodeNextResponse } from "next/dist/server/base-http/node";
import { sendResponse } from "next/dist/server/send-response";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DECLARED_LENGTH, declareContentLength, installContentLengthHook } from "./content-length";

/**
 * Next's own response path over real HTTP: the compression middleware `next start` puts in front
 * of every request (router-server.js), then `sendResponse`, the function that writes a route
 * handler's Response (and drops its Content-Length) — the same modules, in the same order.
 */
type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
const compression = createRequire(import.meta.url)("next/dist/compiled/compression") as () => Middleware;

const SIZE = 300_000;
const text = Buffer.alloc(SIZE, "nwu ");

/** A streamed body in three pulls, as the download route produces it. */
function streamed(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= SIZE) return controller.close();
      controller.enqueue(new Uint8Array(text.subarray(sent, (sent += SIZE / 3))));
    },
  });
}

let origin = "";
const server = http.createServer((req, res) => {
  compression()(req, res, () => {});
  const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8" });
  if (req.url !== "/undeclared") declareContentLength(headers, SIZE);
  if (req.url === "/no-transform") headers.set("Cache-Control", "public, no-transform");
  void sendResponse(new NodeNextRequest(req), new NodeNextResponse(res), new Response(req.method === "HEAD" ? null : streamed(), { headers }));
});

beforeAll(async () => {
  installContentLengthHook();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, opts: { method?: string; acceptEncoding?: string } = {}) {
  return new Promise<{ headers: http.IncomingHttpHeaders; bytes: number }>((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method: opts.method ?? "GET", headers: { "accept-encoding": opts.acceptEncoding ?? "identity" }, agent: false });
    req.on("response", (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ headers: res.headers, bytes }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a declared length through Next's response path", () => {
  it("a streamed body goes out with its exact Content-Length, not chunked", async () => {
    const res = await get("/");
    expect(res.headers["content-length"]).toBe(String(SIZE));
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers[DECLARED_LENGTH]).toBeUndefined();
    expect(res.bytes).toBe(SIZE);
  });

  it("HEAD carries the length of the body it does not send", async () => {
    const res = await get("/", { method: "HEAD" });
    expect(res.headers["content-length"]).toBe(String(SIZE));
    expect(res.bytes).toBe(0);
  });

  it("Cache-Control: no-transform keeps the compression middleware off, so the length stands", async () => {
    const res = await get("/no-transform", { acceptEncoding: "gzip, deflate, br" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers["content-length"]).toBe(String(SIZE));
    expect(res.bytes).toBe(SIZE);
  });

  it("a body the middleware does compress never carries the uncompressed length", async () => {
    const res = await get("/", { acceptEncoding: "gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers[DECLARED_LENGTH]).toBeUndefined();
    expect(res.bytes).toBeLessThan(SIZE);
  });

  it("without a declaration Next's framing is left alone (chunked)", async () => {
    const res = await get("/undeclared");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["transfer-encoding"]).toBe("chunked");
  });
});
