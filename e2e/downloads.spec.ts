import { randomBytes } from "node:crypto";
import http from "node:http";

import { expect, test } from "./fixtures";
import { apiJson } from "./support/api";

/**
 * Downloads as they leave `next start`, read off the socket: the exact Content-Length on 200, 206
 * and HEAD (Next drops a route's own; lib/http/content-length.ts puts it back), never compressed
 * (text is what Next's compression would gzip), and RFC 9110 §13 conditional answers.
 */

interface Wire {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
}

/** One request on a fresh connection, headers as sent, body counted as received. */
function wire(url: string, method: "GET" | "HEAD", headers: Record<string, string> = {}): Promise<Wire> {
  return new Promise((resolve, reject) => {
    // A browser's Accept-Encoding: Next would compress a text answer for it.
    const req = http.request(url, { method, agent: false, headers: { "accept-encoding": "gzip, deflate, br", ...headers } });
    req.on("response", (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

test("file answers carry their exact length, uncompressed, and honour RFC 9110 §13 conditions", async ({ baseURL, freshContributor }) => {
  const api = (await freshContributor()).request;
  const bytes = Buffer.from(randomBytes(700_000).toString("hex")); // 1.4 MB of text
  const res = await api.post("/api/v1/contributions", { multipart: { title: "Wire download", file_type: "document", file: { name: "wire.txt", mimeType: "text/plain", buffer: bytes } } });
  const { id, cid } = await apiJson("uploadContribution", res, 201);
  const url = `${baseURL}/api/v1/contributions/${id}/file`;
  const etag = `"${cid}"`;

  const full = await wire(url, "GET");
  expect(full.status).toBe(200);
  expect(full.headers["content-length"]).toBe(String(bytes.length));
  expect(full.headers["transfer-encoding"]).toBeUndefined();
  expect(full.headers["content-encoding"]).toBeUndefined();
  expect(full.headers["x-nwu-content-length"]).toBeUndefined();
  expect(full.bytes).toBe(bytes.length);

  const head = await wire(url, "HEAD");
  expect(head.status).toBe(200);
  expect(head.headers["content-length"]).toBe(String(bytes.length));
  expect(head.bytes).toBe(0);

  // Range units are case-insensitive.
  const part = await wire(url, "GET", { range: "Bytes=0-1" });
  expect(part.status).toBe(206);
  expect(part.headers["content-range"]).toBe(`bytes 0-1/${bytes.length}`);
  expect(part.headers["content-length"]).toBe("2");
  expect(part.headers["content-encoding"]).toBeUndefined();
  expect(part.bytes).toBe(2);

  for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
    const notModified = await wire(url, "GET", { "if-none-match": inm });
    expect(notModified.status, inm).toBe(304);
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers["cache-control"]).toContain("immutable");
    for (const name of ["content-type", "content-disposition", "accept-ranges", "content-length", "content-range"]) expect(notModified.headers[name], `${inm}: ${name}`).toBeUndefined();
  }

  const failed = await wire(url, "GET", { "if-match": '"bafyother"' });
  expect(failed.status).toBe(412);
  expect(failed.headers["content-type"]).toBe("application/problem+json");
  expect((await wire(url, "GET", { "if-match": "*" })).status).toBe(200);
});
