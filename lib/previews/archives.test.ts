import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { listTar, listZip, unsafePath, type ArchiveEntry } from "./archives";
import { previewNpy } from "./arrays";
import { UnreadableError, bytesReader, windowedReader } from "./reader";

const FORMATS = path.join(process.cwd(), "test/fixtures/formats");
const fixture = (name: string) => readFileSync(path.join(FORMATS, name));
/** What python's zipfile / tarfile and numpy report for the same files (test/fixtures/formats/listings.json). */
const reference = JSON.parse(readFileSync(path.join(FORMATS, "listings.json"), "utf8")).listings as Record<string, unknown>;
type Ref = { path: string; size: number; compressed_size?: number; kind: string; target?: string }[];
const comparable = (e: ArchiveEntry) => ({ path: e.path.replace(/\/$/, ""), size: e.size, kind: e.kind, ...(e.compressed_size !== undefined ? { compressed_size: e.compressed_size } : {}), ...(e.target ? { target: e.target } : {}) });
const refOf = (name: string) => (reference[name] as Ref).map((r) => ({ ...r, path: r.path.replace(/\/$/, "") }));

describe("zip listings from the central directory", () => {
  it.each(["repo.zip", "evil.zip", "arrays.npz", "book.epub", "report.docx"])("%s: the same entries as python's zipfile", async (name) => {
    const listing = await listZip(bytesReader(fixture(name)));
    expect(listing).toMatchObject({ format: "zip", partial: false, declared_entries: refOf(name).length });
    expect(listing.entries.map(comparable)).toEqual(refOf(name));
  });

  it("flags traversal, absolute paths, links and bomb-like ratios, and reads only the end of the file", async () => {
    const bytes = fixture("evil.zip");
    const reader = bytesReader(bytes);
    const { entries } = await listZip(reader);
    const unsafe = Object.fromEntries(entries.map((e) => [e.path, e.unsafe]));
    expect(unsafe["../../escape.txt"]).toMatch(/traversal/);
    expect(unsafe["/etc/passwd"]).toMatch(/absolute/);
    expect(unsafe.link).toMatch(/link/);
    expect(unsafe["bomb.bin"]).toMatch(/expands \d+×/);
    expect(unsafe["ok/readme.md"]).toBeUndefined();
    // The 20 MiB of zeros is never inflated: the listing read the tail (end record + directory) only.
    expect(reader.bytesRead).toBeLessThanOrEqual(bytes.length);
  });

  it("says why a malformed zip cannot be read", async () => {
    await expect(listZip(bytesReader(fixture("broken.zip")))).rejects.toThrow(UnreadableError);
    await expect(listZip(bytesReader(fixture("broken.zip")))).rejects.toThrow(/end-of-central-directory/);
  });
});

describe("tar listings from the headers", () => {
  it.each(["repo.tar", "evil.tar"])("%s: the same entries as python's tarfile", async (name) => {
    const listing = await listTar(bytesReader(fixture(name)));
    expect(listing.partial).toBe(false);
    expect(listing.entries.map(comparable)).toEqual(refOf(name));
  });

  it("flags what extracting would make dangerous, and follows pax long names", async () => {
    const { entries } = await listTar(bytesReader(fixture("evil.tar")));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get("../../escape.txt")!.unsafe).toMatch(/traversal/);
    expect(byPath.get("/abs/path.txt")!.unsafe).toMatch(/absolute/);
    expect(byPath.get("link")).toMatchObject({ kind: "symlink", target: "/etc/shadow", unsafe: expect.stringMatching(/link/) });
    expect([...byPath.keys()].find((p) => p.startsWith("deep/"))).toBeDefined();
    expect(entries.find((e) => e.path.startsWith("deep/"))!.unsafe).toMatch(/nested deeper/);
    expect([...byPath.keys()]).toContain(`long-name-${"n".repeat(200)}.txt`);
  });

  it("stops at its reading budget and says the list is partial", async () => {
    const bytes = fixture("repo.tar");
    const listing = await listTar(windowedReader(bytes.length, async (o, l) => bytes.subarray(o, o + l), { window: 512, budget: 1024 }));
    expect(listing).toMatchObject({ partial: true, reason: expect.stringMatching(/budget/) });
    expect(listing.entries.length).toBeGreaterThan(0);
  });

  it("refuses a damaged header instead of listing garbage", async () => {
    const bytes = Buffer.from(fixture("repo.tar"));
    bytes[10] = bytes[10]! ^ 0xff;
    await expect(listTar(bytesReader(bytes))).rejects.toThrow(/damaged header/);
  });
});

describe("NumPy .npy headers", () => {
  it("reads shape, dtype and first values as numpy does", async () => {
    const ref = reference["array.npy"] as { dtype: string; shape: number[]; fortran_order: boolean; first: number[] };
    const preview = await previewNpy(bytesReader(fixture("array.npy")));
    expect(preview).toMatchObject({ dtype: ref.dtype, shape: ref.shape, fortran_order: ref.fortran_order, elements: 512 });
    preview.first.forEach((v, i) => expect(v).toBeCloseTo(ref.first[i]!, 5));
  });

  it("says why a malformed header cannot be read", async () => {
    await expect(previewNpy(bytesReader(fixture("broken.npy")))).rejects.toThrow(UnreadableError);
  });
});

describe("unsafe names", () => {
  it.each([
    ["a/b/c.txt", undefined],
    ["../x", "path traversal (..)"],
    ["a/../../x", "path traversal (..)"],
    ["/etc/passwd", "absolute path"],
    ["C:\\Windows\\x", "absolute path"],
    ["a\\..\\b", "path traversal (..)"],
  ])("%s → %s", (name, why) => expect(unsafePath(name)).toBe(why));
});
