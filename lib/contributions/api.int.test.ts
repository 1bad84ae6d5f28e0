import { createHash, randomBytes } from "node:crypto";
import { readdirSync, statSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";

import { count, eq } from "drizzle-orm";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as listRoute, POST as uploadRoute } from "@/app/api/v1/contributions/route";
import { GET as getRoute } from "@/app/api/v1/contributions/[id]/route";
import { GET as fileRoute, HEAD as headRoute } from "@/app/api/v1/contributions/[id]/file/route";
import { GET as statusRoute } from "@/app/api/v1/contributions/[id]/status/route";
import { auditLog, contributions, jobs } from "@/db/schema";
import { countStatements } from "@/db/statement-counter";
import { resetEnvCache } from "@/lib/config/env";
import { getIpfs } from "@/lib/ipfs/node";
import { setupTestDatabase } from "@/test/db";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

const testDb = setupTestDatabase();
const alice = newAccount();
const bob = newAccount();
let aliceCookie = "";
let bobCookie = "";

beforeAll(async () => {
  aliceCookie = await signedInCookie(alice);
  bobCookie = await signedInCookie(bob);
});

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

interface UploadOptions {
  cookie?: string;
  fields?: Record<string, string>;
  file?: { bytes: Uint8Array; name?: string; type?: string } | null;
  origin?: string;
}

function form(o: UploadOptions): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(o.fields ?? { title: "A dataset", file_type: "dataset", description: "rows" })) fd.append(k, v);
  if (o.file !== null) {
    const f = o.file ?? { bytes: new TextEncoder().encode(`a,b\n1,${Math.random()}\n`), name: "data.csv" };
    fd.append("file", new Blob([f.bytes as BlobPart], { type: f.type ?? "application/octet-stream" }), f.name ?? "file.bin");
  }
  return fd;
}

function upload(o: UploadOptions = {}) {
  return uploadRoute(
    new Request(`${TEST_ORIGIN}/api/v1/contributions`, {
      method: "POST",
      headers: { cookie: o.cookie ?? aliceCookie, origin: o.origin ?? TEST_ORIGIN },
      body: form(o),
    }),
    undefined,
  );
}

/** Rows, jobs, pins and block files: what a rejected upload must leave unchanged. */
async function footprint() {
  const { db } = testDb.handle;
  const [c] = await db.select({ n: count() }).from(contributions);
  const [j] = await db.select({ n: count() }).from(jobs);
  const node = await getIpfs();
  let pins = 0;
  for await (const _ of node.helia.pins.ls()) pins++;
  const dir = path.join(process.env.DATA_DIR!, "ipfs", "blocks");
  let blocks = 0;
  try {
    blocks = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".data")).length;
  } catch {
    blocks = 0;
  }
  return { rows: c!.n, jobs: j!.n, pins, blocks };
}

async function expectProblem(res: Response, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await res.json();
  expect(body.detail).toMatch(detail);
  return body;
}

describe("upload", () => {
  it("streams a file into IPFS and commits the row, its pin and its verification job together", async () => {
    const bytes = new TextEncoder().encode("id,name,score\n1,ada,90\n2,bob,70\n");
    const res = await upload({ file: { bytes, name: "scores.csv", type: "image/png" }, fields: { title: "Scores", file_type: "dataset", metadata: '{"license":"CC-BY"}' } });
    expect(res.status).toBe(201);
    const body = await res.json();
    const expectedCid = CID.createV1(raw.code, await sha256.digest(bytes)).toString();
    expect(body).toMatchObject({
      cid: expectedCid,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.length,
      file_name: "scores.csv",
      file_type: "dataset",
      media_type: "text/csv", // sniffed, not the client's image/png
      status: "pending",
      metadata: { license: "CC-BY" },
      duplicate_of: null,
      owner: alice.address,
    });
    expect(res.headers.get("location")).toBe(`/api/v1/contributions/${body.id}`);
    const { db } = testDb.handle;
    const [job] = await db.select().from(jobs).where(eq(jobs.dedupeKey, `verify-contribution:${body.id}`));
    expect(job).toMatchObject({ kind: "verify-contribution", status: "queued", payload: { contributionId: body.id } });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, body.id));
    expect(audit).toMatchObject({ action: "contribution.create", toStatus: "pending" });
    const node = await getIpfs();
    expect(await node.helia.pins.isPinned(CID.parse(expectedCid))).toBe(true);
  });

  it("accepts a multi-megabyte file and stores exactly its bytes", async () => {
    const bytes = Buffer.from(randomBytes(3 * 1024 * 1024).toString("base64")); // text, 4 MiB
    const res = await upload({ file: { bytes, name: "big.txt" }, fields: { title: "Big", file_type: "document" } });
    expect(res.status).toBe(201);
    const body = await res.json();
    const file = await fileRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${body.id}/file`), ctx(body.id));
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it.each([
    ["a NumPy array", "array.npy", "dataset", "application/x-npy"],
    ["random binary data (an IPFS-style fixture)", "random.bin", "dataset", "application/octet-stream"],
    ["a tar of CSVs", "repo.tar", "dataset", "application/x-tar"],
    ["an SQLite database", "table.sqlite", "dataset", "application/vnd.sqlite3"],
    ["a repository as tar.gz", "repo.tar.gz", "code", "application/gzip"],
    ["a repository as tar.zst", "repo.tar.zst", "code", "application/zstd"],
    ["a repository as zip", "repo.zip", "code", "application/zip"],
    ["an EPUB", "book.epub", "document", "application/epub+zip"],
    ["an OpenDocument text", "letter.odt", "document", "application/vnd.oasis.opendocument.text"],
    ["a Word document", "report.docx", "document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ] as const)("accepts %s (%s) as a %s, recognised as %s", async (_, file, fileType, mediaType) => {
    const bytes = readFileSync(path.join(process.cwd(), "test/fixtures/formats", file));
    const res = await upload({ file: { bytes, name: file }, fields: { title: `Fixture ${file}`, file_type: fileType } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ media_type: mediaType, file_type: fileType, size: bytes.length });
  });

  describe("rejects bad input with a clear 4xx and leaves nothing behind", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    it.each([
      ["missing title", { fields: { file_type: "dataset" } }, 400, /highlighted fields/, "title"],
      ["title too long", { fields: { title: "x".repeat(201), file_type: "dataset" } }, 400, /highlighted/, "title"],
      ["description too long", { fields: { title: "t", file_type: "dataset", description: "d".repeat(5001) } }, 400, /highlighted/, "description"],
      ["unknown file_type", { fields: { title: "t", file_type: "video" } }, 400, /highlighted/, "file_type"],
      ["metadata not JSON", { fields: { title: "t", file_type: "dataset", metadata: "{nope" } }, 400, /highlighted/, "metadata"],
      ["metadata an array", { fields: { title: "t", file_type: "dataset", metadata: "[1,2]" } }, 400, /highlighted/, "metadata"],
      ["metadata over 10 KB", { fields: { title: "t", file_type: "dataset", metadata: JSON.stringify({ a: "x".repeat(10_300) }) } }, 400, /highlighted/, "metadata"],
      ["no file", { file: null }, 400, /highlighted/, "file"],
      ["zero bytes", { file: { bytes: new Uint8Array(0), name: "empty.csv" } }, 400, /empty/, "file"],
      ["an image declared as a document", { file: { bytes: png, name: "x.pdf" }, fields: { title: "t", file_type: "document" } }, 415, /looks like PNG image \(image\/png\)/, null],
      ["a program declared as a dataset", { file: { bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), name: "data.bin" }, fields: { title: "t", file_type: "dataset" } }, 415, /program \(ELF\) \(application\/x-executable\).*any other data file \(not a program or HTML\)/, null],
      ["HTML declared as a dataset", { file: { bytes: new TextEncoder().encode("<!doctype html><html><body>x</body></html>"), name: "d.csv" }, fields: { title: "t", file_type: "dataset" } }, 415, /text\/html/, null],
      ["a plain zip declared as a document", { file: { bytes: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]), name: "d.pdf" }, fields: { title: "t", file_type: "document" } }, 415, /application\/zip.*EPUB/, null],
    ] as const)("%s", async (_, options, status, detail, field) => {
      const before = await footprint();
      const body = await expectProblem(await upload(options as UploadOptions), status, detail);
      if (field) expect(Object.keys(body.fieldErrors)).toContain(field);
      expect(await footprint()).toEqual(before);
    });

    it("not multipart → 415", async () => {
      const before = await footprint();
      const res = await uploadRoute(
        new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { cookie: aliceCookie, origin: TEST_ORIGIN, "content-type": "application/json" }, body: "{}" }),
        undefined,
      );
      await expectProblem(res, 415, /multipart\/form-data/);
      expect(await footprint()).toEqual(before);
    });

    it("over MAX_UPLOAD_BYTES with Content-Length → 413 before reading", async () => {
      const before = await footprint();
      const res = await uploadRoute(
        new Request(`${TEST_ORIGIN}/api/v1/contributions`, {
          method: "POST",
          headers: { cookie: aliceCookie, origin: TEST_ORIGIN, "content-type": "multipart/form-data; boundary=x", "content-length": String(2 * 1024 ** 3) },
          body: "--x--",
        }),
        undefined,
      );
      await expectProblem(res, 413, /1 GiB upload limit/);
      expect(await footprint()).toEqual(before);
    });

    it("over MAX_UPLOAD_BYTES without Content-Length → 413 while streaming", async () => {
      process.env.MAX_UPLOAD_BYTES = String(3 * 1024 * 1024);
      resetEnvCache();
      try {
        const before = await footprint();
        const fd = form({ file: { bytes: Buffer.alloc(5 * 1024 * 1024, 97), name: "a.txt" }, fields: { title: "t", file_type: "document" } });
        // Re-stream the body so no Content-Length is known, as with a chunked upload.
        const encoded = new Response(fd);
        const res = await uploadRoute(
          new Request(`${TEST_ORIGIN}/api/v1/contributions`, {
            method: "POST",
            headers: { cookie: aliceCookie, origin: TEST_ORIGIN, "content-type": encoded.headers.get("content-type")! },
            body: encoded.body,
            duplex: "half",
          } as RequestInit),
          undefined,
        );
        await expectProblem(res, 413, /3 MiB upload limit/);
        expect(await footprint()).toEqual(before);
      } finally {
        delete process.env.MAX_UPLOAD_BYTES;
        resetEnvCache();
      }
    });

    it("a client that aborts mid-stream leaves nothing behind", async () => {
      const before = await footprint();
      const encoded = new Response(form({ file: { bytes: Buffer.alloc(4 * 1024 * 1024, 98), name: "a.txt" }, fields: { title: "t", file_type: "document" } }));
      const reader = encoded.body!.getReader();
      let sent = 0;
      const truncated = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done || sent > 2 * 1024 * 1024) {
            controller.error(new Error("client disconnected"));
            return;
          }
          sent += value.byteLength;
          controller.enqueue(value);
        },
      });
      const res = await uploadRoute(
        new Request(`${TEST_ORIGIN}/api/v1/contributions`, {
          method: "POST",
          headers: { cookie: aliceCookie, origin: TEST_ORIGIN, "content-type": encoded.headers.get("content-type")! },
          body: truncated,
          duplex: "half",
        } as RequestInit),
        undefined,
      );
      await expectProblem(res, 400, /interrupted/);
      expect(await footprint()).toEqual(before);
    });

    it("a slow-loris client that stalls mid-upload is cut off with 408 after the idle timeout, leaving nothing", async () => {
      process.env.UPLOAD_IDLE_TIMEOUT_MS = "700";
      resetEnvCache();
      try {
        const before = await footprint();
        const encoded = new Response(form({ file: { bytes: Buffer.alloc(3 * 1024 * 1024, 99), name: "a.txt" }, fields: { title: "t", file_type: "document" } }));
        const reader = encoded.body!.getReader();
        let sent = 0;
        let cancelled = false;
        const stalling = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (sent > 1024 * 1024) return new Promise<void>(() => {}); // sends nothing more, never closes
            const { value, done } = await reader.read();
            if (done) return controller.close();
            sent += value.byteLength;
            controller.enqueue(value);
          },
          cancel() {
            cancelled = true;
          },
        });
        const started = Date.now();
        const res = await uploadRoute(
          new Request(`${TEST_ORIGIN}/api/v1/contributions`, {
            method: "POST",
            headers: { cookie: aliceCookie, origin: TEST_ORIGIN, "content-type": encoded.headers.get("content-type")! },
            body: stalling,
            duplex: "half",
          } as RequestInit),
          undefined,
        );
        await expectProblem(res, 408, /No data arrived for 0.7 s/);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(cancelled).toBe(true);
        expect(await footprint()).toEqual(before);
      } finally {
        delete process.env.UPLOAD_IDLE_TIMEOUT_MS;
        resetEnvCache();
      }
    });

    it("anonymous → 401, cross-origin → 403", async () => {
      const before = await footprint();
      expect((await upload({ cookie: "" })).status).toBe(401);
      expect((await upload({ origin: "https://evil.example" })).status).toBe(403);
      expect(await footprint()).toEqual(before);
    });
  });

  it("the same bytes twice from one user → 409 with the existing id; from another user → accepted as a duplicate", async () => {
    const bytes = new TextEncoder().encode(`# Notes\n\nunique ${Math.random()}\n`);
    const first = await upload({ file: { bytes, name: "n.md" }, fields: { title: "Notes", file_type: "document" } });
    expect(first.status).toBe(201);
    const original = await first.json();
    const before = await footprint();
    const again = await expectProblem(await upload({ file: { bytes, name: "n2.md" }, fields: { title: "Again", file_type: "document" } }), 409, /already uploaded/);
    expect(again.existingId).toBe(original.id);
    expect(await footprint()).toEqual(before); // the shared pin and blocks stay

    const bobs = await upload({ cookie: bobCookie, file: { bytes, name: "copy.md" }, fields: { title: "Copy", file_type: "document" } });
    expect(bobs.status).toBe(201);
    expect((await bobs.json()).duplicate_of).toBe(original.id);
  });
});

describe("download", () => {
  let id = "";
  const bytes = Buffer.from(randomBytes(2 * 1024 * 1024 + 333).toString("hex")); // text, ~4 MiB
  beforeAll(async () => {
    const res = await upload({ file: { bytes, name: "résumé data.txt" }, fields: { title: "Download me", file_type: "document" } });
    id = (await res.json()).id;
  });
  const get = (headers: Record<string, string> = {}) => fileRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${id}/file`, { headers }), ctx(id));

  it("streams the bytes as an attachment that is never rendered", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="r_sum_ data.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20data.txt`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    const etag = res.headers.get("etag");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await get({ "if-none-match": etag! })).status).toBe(304);
  });

  it("HEAD answers the headers only", async () => {
    const res = await headRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${id}/file`, { method: "HEAD" }), ctx(id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.body).toBeNull();
  });

  it.each([
    ["bytes=0-9", 0, 9],
    ["bytes=1048570-1048580", 1048570, 1048580],
    [`bytes=-7`, bytes.length - 7, bytes.length - 1],
    ["bytes=4194000-", 4194000, bytes.length - 1],
  ])("Range %s → 206 with Content-Range", async (range, start, end) => {
    const res = await get({ range });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it("an unsatisfiable range → 416; a stale If-Range → the whole file", async () => {
    const res = await get({ range: `bytes=${bytes.length}-` });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    const stale = await get({ range: "bytes=0-9", "if-range": '"bafyother"' });
    expect(stale.status).toBe(200);
    await stale.body?.cancel();
  });

  it("unknown id → 404", async () => {
    const other = "00000000-0000-4000-8000-000000000000";
    expect((await fileRoute(new Request(`${TEST_ORIGIN}/x`), ctx(other))).status).toBe(404);
    expect((await fileRoute(new Request(`${TEST_ORIGIN}/x`), ctx("not-a-uuid"))).status).toBe(404);
  });

  it("a corrupted block on disk aborts the response instead of delivering wrong bytes", async () => {
    const data = Buffer.from(`corrupt me ${randomBytes(8).toString("hex")}\n`.repeat(200_000)); // ~5 MiB, 5+ blocks
    const res = await upload({ file: { bytes: data, name: "c.txt" }, fields: { title: "Corrupt", file_type: "document" } });
    const cid = (await res.json()).id as string;
    // Corrupt the block holding bytes [2 MiB, 3 MiB).
    const leaf = Buffer.from(data.subarray(2 * 1024 * 1024, 3 * 1024 * 1024));
    const dir = path.join(process.env.DATA_DIR!, "ipfs", "blocks");
    const target = (readdirSync(dir, { recursive: true }) as string[])
      .map((f) => path.join(dir, f))
      .find((f) => f.endsWith(".data") && statSync(f).size === leaf.length && readFileSync(f).equals(leaf))!;
    expect(target).toBeDefined();
    const bad = Buffer.from(leaf);
    bad[5] = bad[5]! ^ 0xff;
    writeFileSync(target, bad);

    const download = await fileRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${cid}/file`), ctx(cid));
    expect(download.status).toBe(200);
    const reader = download.body!.getReader();
    const received: Uint8Array[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          received.push(value);
        }
      })(),
    ).rejects.toThrow(/does not match its CID/);
    const delivered = Buffer.concat(received);
    expect(delivered.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(delivered.equals(data.subarray(0, delivered.length))).toBe(true);
  });
});

describe("browse", () => {
  const list = (query: string) => listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?${query}`), undefined);

  it("pages newest first with an opaque cursor, no repeats, no gaps", async () => {
    const carol = newAccount();
    const cookie = await signedInCookie(carol);
    for (let i = 0; i < 7; i++) {
      const res = await upload({ cookie, file: { bytes: new TextEncoder().encode(`x,y\n${i},${Math.random()}\n`), name: `${i}.csv` }, fields: { title: `Carol ${i}`, file_type: "dataset" } });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const res = await list(`owner=${carol.address.toLowerCase()}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      seen.push(...body.items.map((c: { title: string }) => c.title));
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    expect(seen).toEqual(["Carol 6", "Carol 5", "Carol 4", "Carol 3", "Carol 2", "Carol 1", "Carol 0"]);
  });

  it("filters by status, type, owner (any case) and title", async () => {
    const byType = await (await list("type=document&limit=100")).json();
    expect(byType.items.length).toBeGreaterThan(0);
    expect(byType.items.every((c: { file_type: string }) => c.file_type === "document")).toBe(true);
    const byOwner = await (await list(`owner=${bob.address.toUpperCase().replace("0X", "0x")}`)).json();
    expect(byOwner.items.every((c: { owner: string }) => c.owner === bob.address)).toBe(true);
    const byTitle = await (await list("q=download%20ME")).json();
    expect(byTitle.items.map((c: { title: string }) => c.title)).toEqual(["Download me"]);
    const pendingOnly = await (await list("status=pending")).json();
    expect(pendingOnly.items.every((c: { status: string }) => c.status === "pending")).toBe(true);
    const wild = await (await list("q=%25")).json();
    expect(wild.items).toEqual([]);
  });

  it.each([
    ["limit=101", /at most 100/],
    ["limit=0", /limit/],
    ["status=done", /status must be one of/],
    ["type=video", /type must be one of/],
    ["owner=bob", /wallet address/],
    ["cursor=garbage", /Invalid cursor/],
  ])("rejects %s with 400", async (query, detail) => {
    await expectProblem(await list(query), 400, detail);
  });

  it("get and status by id", async () => {
    const first = (await (await list("limit=1")).json()).items[0];
    const one = await getRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${first.id}`), ctx(first.id));
    expect(await one.json()).toEqual({ ...first, reward: null, decision: null, appeal: null, api_reads: { period: new Date().toISOString().slice(0, 7) + "-01", count: 0 } });
    const status = await (await statusRoute(new Request(`${TEST_ORIGIN}/x`), ctx(first.id))).json();
    expect(status).toMatchObject({ id: first.id, status: "pending", quality_score: null, verification_count: 0 });
  });

  it("issues at most 3 SQL statements per request whatever the page size", async () => {
    for (const limit of [1, 10, 100]) {
      const { count: n, result } = await countStatements(() => list(`limit=${limit}`));
      expect(result.status).toBe(200);
      expect(n).toBeLessThanOrEqual(3);
    }
    const id = (await (await list("limit=1")).json()).items[0].id;
    for (const call of [
      () => getRoute(new Request(`${TEST_ORIGIN}/x`), ctx(id)),
      () => statusRoute(new Request(`${TEST_ORIGIN}/x`), ctx(id)),
      async () => {
        const res = await fileRoute(new Request(`${TEST_ORIGIN}/x`), ctx(id));
        await res.arrayBuffer();
        return res;
      },
    ]) {
      const { count: n, result } = await countStatements(call);
      expect(result.status).toBe(200);
      expect(n).toBeLessThanOrEqual(3);
    }
  });
});
