import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";

import { eq } from "drizzle-orm";
import * as tus from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as collection from "@/app/api/v1/uploads/route";
import * as item from "@/app/api/v1/uploads/[id]/route";
import * as multipart from "@/app/api/v1/contributions/route";
import { getDb } from "@/db/client";
import { contributions, jobs, uploads, usageRecords } from "@/db/schema";
import { flushUsage } from "@/lib/api-keys/usage";
import { resetEnvCache } from "@/lib/config/env";
import { createApiKey } from "@/lib/api-keys/keys";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { setupTestIpfs } from "@/test/ipfs";
import { startRouteServer, type RouteServer } from "@/test/route-server";
import { signedInCookie } from "@/test/session";
import { newAccount } from "@/test/siwe";
import { uploadForm } from "@/test/upload-form";

import { uploadExpiryJob } from "./expiry";
import { partialPath, uploadDir } from "./store";

/**
 * The tus endpoint through a real HTTP server (Next's own request adapter), driven by tus's own
 * client (tus-js-client, the protocol's reference browser/Node client) and by raw requests where a
 * test must misbehave: cut the connection, lie about the offset, send a wrong checksum.
 */
setupTestDatabase();
setupTestIpfs("tus");

const MiB = 1024 * 1024;
let server: RouteServer;
let cookie = "";
let other = "";

beforeAll(async () => {
  process.env.MAX_UPLOAD_BYTES = String(64 * MiB);
  process.env.MAX_ACTIVE_UPLOADS = "3";
  process.env.MAX_PENDING_UPLOAD_BYTES = String(100 * MiB);
  resetEnvCache();
  server = await startRouteServer([
    { path: /^\/api\/v1\/uploads$/, methods: collection as never },
    { path: /^\/api\/v1\/uploads\/(?<id>[^/]+)$/, methods: item as never },
    { path: /^\/api\/v1\/contributions$/, methods: multipart as never },
  ]);
  cookie = await signedInCookie(newAccount());
  other = await signedInCookie(newAccount());
});
afterAll(async () => {
  await server.close();
  for (const k of ["MAX_UPLOAD_BYTES", "MAX_ACTIVE_UPLOADS", "MAX_PENDING_UPLOAD_BYTES"]) delete process.env[k];
  resetEnvCache();
});

const b64 = (s: string) => Buffer.from(s).toString("base64");
const metadataHeader = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(",");
const DATASET = { title: "A table", file_type: "dataset", filename: "table.bin", description: "", metadata: '{"license":"MIT"}' };

function headers(extra: Record<string, string> = {}, as = cookie): Record<string, string> {
  return { "tus-resumable": "1.0.0", origin: server.origin, cookie: as, ...extra };
}

/** Creates an upload with raw tus headers; returns its URL (absolute). */
async function create(size: number, fields: Record<string, string> = DATASET, as = cookie): Promise<string> {
  const res = await fetch(`${server.origin}/api/v1/uploads`, { method: "POST", headers: headers({ "upload-length": String(size), "upload-metadata": metadataHeader(fields) }, as) });
  expect(res.status, await res.clone().text()).toBe(201);
  return new URL(res.headers.get("location")!, server.origin).toString();
}

const patch = (url: string, offset: number, body: Buffer, extra: Record<string, string> = {}) =>
  fetch(url, { method: "PATCH", headers: headers({ "upload-offset": String(offset), "content-type": "application/offset+octet-stream", ...extra }), body: body as BodyInit });
const head = (url: string, as = cookie) => fetch(url, { method: "HEAD", headers: headers({}, as) });

/** The whole file through tus-js-client, in `chunkSize` pieces; resolves with the last response's headers. */
function tusUpload(file: Buffer, fields: Record<string, string> = DATASET, options: Partial<tus.UploadOptions> = {}) {
  return new Promise<{ contributionId: string | null; duplicate: string | null; url: string }>((resolve, reject) => {
    const upload = new tus.Upload(file, {
      endpoint: `${server.origin}/api/v1/uploads`,
      metadata: fields,
      headers: { cookie, origin: server.origin },
      retryDelays: [0, 100, 300],
      ...options,
      onError: reject,
      onSuccess: ({ lastResponse }) =>
        resolve({ contributionId: lastResponse.getHeader("Upload-Contribution-Id") ?? null, duplicate: lastResponse.getHeader("Upload-Duplicate") ?? null, url: upload.url! }),
    });
    upload.start();
  });
}

async function contribution(id: string) {
  const [row] = await getDb().select().from(contributions).where(eq(contributions.id, id));
  return row!;
}

describe("tus uploads", { timeout: 120_000 }, () => {
  it("refuses an overlong URL (414) before @tus/server's id regex, quadratic in such a URL, ever sees it", async () => {
    const url = await create(8);
    // A long run of non-slashes, then two slashes: the shape that makes /([^/]+)\/?$/ backtrack.
    for (const tail of [`?q=${"x".repeat(8_000)}//`, `?${"a".repeat(3_000)}`]) {
      const res = await head(`${url}${tail}`);
      expect(res.status, tail.slice(0, 20)).toBe(414);
    }
    expect((await head(url)).status).toBe(200);
  });

  it("OPTIONS names the version, the extensions, the size cap and the checksum algorithms", async () => {
    const res = await fetch(`${server.origin}/api/v1/uploads`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("tus-version")).toBe("1.0.0");
    expect(res.headers.get("tus-extension")!.split(",")).toEqual(expect.arrayContaining(["creation", "termination", "expiration", "checksum"]));
    expect(res.headers.get("tus-extension")).not.toContain("creation-defer-length");
    expect(res.headers.get("tus-max-size")).toBe(String(64 * MiB));
    expect(res.headers.get("tus-checksum-algorithm")).toContain("sha1");
  });

  it("tus-js-client uploads a file: the final PATCH names the contribution, stored exactly as the multipart upload stores it", async () => {
    const file = randomBytes(3 * MiB + 12_345);
    const done = await tusUpload(file, DATASET, { chunkSize: MiB });
    expect(done.contributionId).toMatch(/^[0-9a-f-]{36}$/);
    const row = await contribution(done.contributionId!);
    expect(row).toMatchObject({ title: "A table", fileType: "dataset", fileName: "table.bin", sizeBytes: file.length, sha256: createHash("sha256").update(file).digest("hex"), metadata: { license: "MIT" } });
    // The verify job came with the row; the partial file is gone; HEAD still answers with the id.
    expect(await getDb().$count(jobs, eq(jobs.dedupeKey, `verify-contribution:${row.id}`))).toBe(1);
    expect(existsSync(partialPath(done.url.split("/").pop()!))).toBe(false);
    const after = await head(done.url);
    expect(after.status).toBe(200);
    expect(after.headers.get("upload-offset")).toBe(String(file.length));
    expect(after.headers.get("upload-contribution-id")).toBe(row.id);
    expect(after.headers.get("link")).toBe(`</api/v1/contributions/${row.id}>; rel="related"`);
    // Same bytes through the multipart route, by someone else: the same CID (one import path).
    const res = await fetch(`${server.origin}/api/v1/contributions`, { method: "POST", headers: { origin: server.origin, cookie: other }, body: uploadForm(file, "table.bin", { title: "Same", file_type: "dataset" }) });
    expect(res.status).toBe(201);
    const viaMultipart = (await res.json()) as { cid: string; id: string };
    expect(viaMultipart.cid).toBe(row.cid);
    expect((await contribution(viaMultipart.id)).duplicateOf).toBe(row.id);
  });

  it("a duplicate of your own upload completes (204) naming the earlier contribution, and its bytes are removed", async () => {
    const file = randomBytes(200_000);
    const first = await tusUpload(file);
    const again = await tusUpload(file, { ...DATASET, title: "Again" });
    expect(again.duplicate).toBe("true");
    expect(again.contributionId).toBe(first.contributionId);
    expect(existsSync(partialPath(again.url.split("/").pop()!))).toBe(false);
    expect(await getDb().$count(contributions, eq(contributions.title, "Again"))).toBe(0);
  });

  it("refuses at creation, before any byte: field errors (400), a wrong type by name, an empty file, over the cap (413)", async () => {
    const filesBefore = readdirSync(uploadDir()).length;
    const post = (size: string | undefined, fields: Record<string, string>) =>
      fetch(`${server.origin}/api/v1/uploads`, { method: "POST", headers: headers({ ...(size === undefined ? { "upload-defer-length": "1" } : { "upload-length": size }), "upload-metadata": metadataHeader(fields) }) });
    const bad = await post("100", { title: " ", file_type: "dataset", metadata: "[1]", filename: "x.csv" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(bad.headers.get("tus-resumable")).toBe("1.0.0");
    const problem = (await bad.json()) as { fieldErrors: Record<string, string[]> };
    expect(Object.keys(problem.fieldErrors).sort()).toEqual(["metadata", "title"]);
    const pdfAsCode = (await (await post("100", { title: "Paper", file_type: "code", filename: "paper.pdf" })).json()) as { fieldErrors: Record<string, string[]> };
    expect(pdfAsCode.fieldErrors.file_type![0]).toContain("application/pdf");
    expect(((await (await post("0", DATASET)).json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.file).toEqual(["The file is empty (0 bytes)"]);
    expect((await post(undefined, DATASET)).status).toBe(400);
    const over = await post(String(64 * MiB + 1), DATASET);
    expect(over.status).toBe(413);
    expect(((await over.json()) as { detail: string }).detail).toContain("64 MiB");
    expect(readdirSync(uploadDir()).length).toBe(filesBefore);
  });

  it("a client that lies about Upload-Offset gets 409 and nothing is written; a stranger's HEAD is 404", async () => {
    const url = await create(1000);
    expect((await patch(url, 0, Buffer.alloc(400, 1))).status).toBe(204);
    const lie = await patch(url, 100, Buffer.alloc(100, 2));
    expect(lie.status).toBe(409);
    expect((await head(url)).headers.get("upload-offset")).toBe("400");
    expect((await head(url, other)).status).toBe(404);
    expect((await fetch(url, { method: "DELETE", headers: headers() })).status).toBe(204);
  });

  it("checksum extension: a matching Upload-Checksum is kept, a wrong one is 460 and cut back, an unknown algorithm 400", async () => {
    const url = await create(300, { ...DATASET, filename: "sum.txt", file_type: "document" });
    const part = Buffer.from("x".repeat(100));
    const sha1 = (b: Buffer) => `sha1 ${createHash("sha1").update(b).digest("base64")}`;
    expect((await patch(url, 0, part, { "upload-checksum": sha1(part) })).status).toBe(204);
    const wrong = await patch(url, 100, part, { "upload-checksum": sha1(Buffer.from("something else")) });
    expect(wrong.status).toBe(460);
    expect((await head(url)).headers.get("upload-offset")).toBe("100");
    expect((await patch(url, 100, part, { "upload-checksum": "crc99 AAAA" })).status).toBe(400);
    expect((await fetch(url, { method: "DELETE", headers: headers() })).status).toBe(204);
  });

  it("a connection cut at 40 % resumes from the server's offset: the same CID and sha256 as an uninterrupted upload", async () => {
    const file = randomBytes(4 * MiB);
    const url = await create(file.length, { ...DATASET, title: "Cut" });
    await new Promise<void>((resolve) => {
      const req = http.request(url, { method: "PATCH", headers: { ...headers({ "upload-offset": "0", "content-type": "application/offset+octet-stream" }), "content-length": String(file.length) } });
      req.on("error", () => resolve());
      req.write(file.subarray(0, 0.4 * file.length), () => setTimeout(() => req.destroy(), 200));
      req.on("close", () => resolve());
    });
    let offset = 0;
    for (let i = 0; i < 50 && offset === 0; i++) {
      offset = Number((await head(url)).headers.get("upload-offset"));
      if (offset === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(0.4 * file.length);
    const rest = await patch(url, offset, file.subarray(offset));
    expect(rest.status).toBe(204);
    const cut = await contribution(rest.headers.get("upload-contribution-id")!);
    expect(cut.sha256).toBe(createHash("sha256").update(file).digest("hex"));
    // The same bytes uninterrupted, by another user: the same content id.
    const whole = await fetch(`${server.origin}/api/v1/contributions`, { method: "POST", headers: { origin: server.origin, cookie: other }, body: uploadForm(file, "table.bin", { title: "Whole", file_type: "dataset" }) });
    expect(((await whole.json()) as { cid: string }).cid).toBe(cut.cid);
  });

  it("limits: at most MAX_ACTIVE_UPLOADS unfinished (429), unfinished bytes within MAX_PENDING_UPLOAD_BYTES (413); the list shows them", async () => {
    const fresh = await signedInCookie(newAccount());
    const post = (size: number) => fetch(`${server.origin}/api/v1/uploads`, { method: "POST", headers: headers({ "upload-length": String(size), "upload-metadata": metadataHeader(DATASET) }, fresh) });
    const big = await create(64 * MiB, DATASET, fresh);
    const tooMuch = await post(40 * MiB);
    expect([tooMuch.status, ((await tooMuch.json()) as { detail: string }).detail]).toEqual([413, expect.stringContaining("100 MiB")]);
    const urls = [big, await create(20, DATASET, fresh), await create(30, DATASET, fresh)];
    const fourth = await post(10);
    expect([fourth.status, ((await fourth.json()) as { code: string }).code]).toEqual([429, "limit_reached"]);
    const list = (await (await fetch(`${server.origin}/api/v1/uploads`, { headers: { cookie: fresh } })).json()) as { items: { url: string; size: number; offset: number; title: string }[] };
    expect(list.items.map((i) => i.size)).toEqual([30, 20, 64 * MiB]);
    expect(list.items[0]).toMatchObject({ offset: 0, title: "A table", url: new URL(urls[2]!).pathname });
    // Cancelling one frees its slot.
    expect((await fetch(urls[0]!, { method: "DELETE", headers: headers({}, fresh) })).status).toBe(204);
    expect((await post(10)).status).toBe(201);
  });

  it("termination removes the bytes and the upload; expiry's job removes a stale one", async () => {
    const url = await create(1000);
    const id = url.split("/").pop()!;
    await patch(url, 0, Buffer.alloc(500, 7));
    expect(existsSync(partialPath(id))).toBe(true);
    expect((await fetch(url, { method: "DELETE", headers: headers() })).status).toBe(204);
    expect(existsSync(partialPath(id))).toBe(false);
    expect((await head(url)).status).toBe(404);

    const stale = (await create(1000)).split("/").pop()!;
    await patch(`${server.origin}/api/v1/uploads/${stale}`, 0, Buffer.alloc(500, 7));
    const [job] = await getDb().select().from(jobs).where(eq(jobs.dedupeKey, `upload-expiry:${stale}`));
    expect(job!.runAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await uploadExpiryJob(job!, { signal: new AbortController().signal } as never);
    expect(existsSync(partialPath(stale))).toBe(false);
    expect(await getDb().$count(uploads, eq(uploads.id, stale))).toBe(0);
  });

  it("with an API key, creating an upload counts as one request against the key; its PATCH and HEAD requests do not", async () => {
    const user = await insertUser(getDb());
    const { key, apiKey } = await createApiKey({ userId: user.id, name: "uploader", scopes: ["contributions:write"] });
    const auth = { authorization: `Bearer ${key}`, "tus-resumable": "1.0.0" };
    const created = await fetch(`${server.origin}/api/v1/uploads`, { method: "POST", headers: { ...auth, "upload-length": "300", "upload-metadata": metadataHeader({ ...DATASET, filename: "k.txt", file_type: "document" }) } });
    expect(created.status).toBe(201);
    expect(created.headers.get("ratelimit-limit")).not.toBeNull();
    const url = new URL(created.headers.get("location")!, server.origin).toString();
    for (const part of [0, 100, 200]) {
      const res = await fetch(url, { method: "PATCH", headers: { ...auth, "upload-offset": String(part), "content-type": "application/offset+octet-stream" }, body: Buffer.from("k".repeat(100)) });
      expect(res.status).toBe(204);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
    }
    expect((await fetch(url, { method: "HEAD", headers: auth })).headers.get("upload-contribution-id")).toMatch(/^[0-9a-f-]{36}$/);
    await flushUsage();
    const usage = await getDb().select({ endpoint: usageRecords.endpoint, n: usageRecords.requestCount }).from(usageRecords).where(eq(usageRecords.apiKeyId, apiKey.id));
    expect(usage).toEqual([{ endpoint: "POST /api/v1/uploads", n: 1 }]);
  });

  it("two PATCHes at once on one upload are serialized: one writes, the other is refused with 409, the bytes are whole", async () => {
    const body = randomBytes(2 * MiB);
    const url = await create(body.length);
    const answers = await Promise.all([patch(url, 0, body), patch(url, 0, body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
    const done = answers.find((r) => r.status === 204)!;
    expect((await contribution(done.headers.get("upload-contribution-id")!)).sha256).toBe(createHash("sha256").update(body).digest("hex"));
  });

  it("a PATCH that stalls is cut off after UPLOAD_IDLE_TIMEOUT_MS with 408: its bytes are kept and the upload resumes at once", async () => {
    process.env.UPLOAD_IDLE_TIMEOUT_MS = "700";
    resetEnvCache();
    try {
      const body = randomBytes(600_000);
      const url = await create(body.length);
      const answer = await new Promise<number>((resolve, reject) => {
        const req = http.request(url, { method: "PATCH", headers: { ...headers({ "upload-offset": "0", "content-type": "application/offset+octet-stream" }), "content-length": String(body.length) } });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.write(body.subarray(0, 200_000)); // then nothing more
      });
      expect(answer).toBe(408);
      const offset = Number((await head(url)).headers.get("upload-offset"));
      expect(offset).toBeGreaterThan(0);
      const rest = await patch(url, offset, body.subarray(offset));
      expect(rest.status).toBe(204);
      expect((await contribution(rest.headers.get("upload-contribution-id")!)).sha256).toBe(createHash("sha256").update(body).digest("hex"));
    } finally {
      delete process.env.UPLOAD_IDLE_TIMEOUT_MS;
      resetEnvCache();
    }
  });
});
