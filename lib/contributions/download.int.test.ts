import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { POST as uploadRoute } from "@/app/api/v1/contributions/route";
import { GET as fileRoute, HEAD as headRoute } from "@/app/api/v1/contributions/[id]/file/route";
import { DECLARED_LENGTH } from "@/lib/http/content-length";
import { setupTestDatabase } from "@/test/db";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

/**
 * The download route's answers to conditional and ranged requests (RFC 9110 §13, §14, §15.4.5),
 * through the real route handler. What reaches the wire through `next start` (the length, no
 * compression) is checked by e2e/downloads.spec.ts.
 */
setupTestDatabase();

const bytes = Buffer.from(randomBytes(600_000).toString("hex")); // text: compressible, 1.2 MB
let id = "";
let etag = "";

beforeAll(async () => {
  const fd = new FormData();
  fd.append("title", "Conditional");
  fd.append("file_type", "document");
  fd.append("file", new Blob([bytes], { type: "text/plain" }), "c.txt");
  const cookie = await signedInCookie(newAccount());
  const res = await uploadRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { cookie, origin: TEST_ORIGIN }, body: fd }), undefined);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: string; cid: string };
  id = body.id;
  etag = `"${body.cid}"`;
});

async function send(method: "GET" | "HEAD", headers: Record<string, string> = {}) {
  const route = method === "GET" ? fileRoute : headRoute;
  const res = await route(new Request(`${TEST_ORIGIN}/api/v1/contributions/${id}/file`, { method, headers }), { params: Promise.resolve({ id }) });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body };
}

/** Representation metadata a 304 must not repeat (§15.4.5 lists what it may carry). */
const NOT_ON_304 = ["content-type", "content-disposition", "accept-ranges", "content-length", "content-range", DECLARED_LENGTH, "content-security-policy"];

describe("downloads under RFC 9110 §13", () => {
  it("200 and HEAD carry the exact length and are marked no-transform (never compressed)", async () => {
    const get = await send("GET");
    expect(get.status).toBe(200);
    expect(get.headers.get("content-length")).toBe(String(bytes.length));
    expect(get.headers.get(DECLARED_LENGTH)).toBe(String(bytes.length));
    expect(get.headers.get("cache-control")).toBe("public, max-age=31536000, immutable, no-transform");
    expect(get.body.equals(bytes)).toBe(true);
    const head = await send("HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(bytes.length));
    expect(head.headers.get(DECLARED_LENGTH)).toBe(String(bytes.length));
    expect(head.body.length).toBe(0);
  });

  it.each([
    ["the exact tag", () => etag],
    ["the weak form (weak comparison)", () => `W/${etag}`],
    ["a list naming it", () => `"other", W/"x", ${etag}`],
    ["*", () => "*"],
  ])("If-None-Match with %s → 304 for GET and HEAD, carrying only ETag and Cache-Control", async (_label, value) => {
    for (const method of ["GET", "HEAD"] as const) {
      const res = await send(method, { "if-none-match": value() });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable, no-transform");
      for (const name of NOT_ON_304) expect(res.headers.has(name), `${method} 304 carries ${name}`).toBe(false);
    }
  });

  it("If-None-Match naming other tags → the file", async () => {
    const res = await send("GET", { "if-none-match": `"other", W/"bafyother"` });
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
  });

  it.each([
    ["another tag", () => '"bafyother"'],
    ["the weak form (strong comparison)", () => `W/${etag}`],
    ["a list of others", () => `"a", "b"`],
  ])("If-Match with %s → 412 problem", async (_label, value) => {
    for (const method of ["GET", "HEAD"] as const) {
      const res = await send(method, { "if-match": value() });
      expect(res.status).toBe(412);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      if (method === "GET") expect(JSON.parse(res.body.toString()).code).toBe("precondition_failed");
    }
  });

  it.each([["the exact tag", () => etag], ["a list naming it", () => `"a", ${etag}`], ["*", () => "*"]])("If-Match with %s → the file", async (_label, value) => {
    const res = await send("GET", { "if-match": value() });
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
  });

  it("precedence (§13.2.2): a failed If-Match wins over a matching If-None-Match; If-None-Match wins over Range", async () => {
    expect((await send("GET", { "if-match": '"bafyother"', "if-none-match": etag })).status).toBe(412);
    expect((await send("GET", { "if-match": etag, "if-none-match": etag })).status).toBe(304);
    expect((await send("GET", { "if-none-match": etag, range: "bytes=0-1", "if-range": etag })).status).toBe(304);
  });

  it("date conditions are ignored: the file has no modification date (§13.1.3, §13.1.4)", async () => {
    expect((await send("GET", { "if-unmodified-since": "Sat, 01 Jan 2000 00:00:00 GMT" })).status).toBe(200);
    expect((await send("GET", { "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" })).status).toBe(200);
  });

  it("range units are case-insensitive: Bytes=0-1 → 206 with its own exact length", async () => {
    const res = await send("GET", { range: "Bytes=0-1" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 0-1/${bytes.length}`);
    expect(res.headers.get("content-length")).toBe("2");
    expect(res.headers.get(DECLARED_LENGTH)).toBe("2");
    expect(res.body.equals(bytes.subarray(0, 2))).toBe(true);
  });

  it("If-Range: a strong match → 206; a weak tag or a date → the whole file (§13.1.5)", async () => {
    expect((await send("GET", { range: "bytes=0-1", "if-range": etag })).status).toBe(206);
    for (const ifRange of [`W/${etag}`, "Sat, 01 Jan 2000 00:00:00 GMT"]) {
      const res = await send("GET", { range: "bytes=0-1", "if-range": ifRange });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(bytes.length));
    }
  });

  it("HEAD ignores Range (range handling is defined for GET only, §14.2)", async () => {
    const res = await send("HEAD", { range: "bytes=0-1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.has("content-range")).toBe(false);
  });
});
