import { readFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

import { describe, expect, it } from "vitest";

import { ustarHeader } from "@/test/archive-builders";

import { listTar, walkTar } from "./archives";
import { streamedTar } from "./compressed";
import { bytesReader } from "./reader";

const fixture = (name: string) => readFileSync(path.join(process.cwd(), "test/fixtures/formats", name));
const paths = (entries: { path: string }[]) => entries.map((e) => e.path);
const unbounded = () => ({ maxOutput: 1 << 30, deadline: Date.now() + 10_000 });

const header = ustarHeader;

describe("compressed tars, listed by streaming", () => {
  it.each([
    ["repo.tar.gz", "gzip"],
    ["repo.tar.zst", "zstd"],
    ["repo.tar.xz", "xz"],
  ] as const)("%s lists what the uncompressed tar lists", async (file, codec) => {
    const expected = paths((await listTar(bytesReader(fixture("repo.tar")))).entries);
    const walk = await walkTar(streamedTar(bytesReader(fixture(file)), codec, unbounded()));
    expect(walk.reason).toBeUndefined();
    expect(paths(walk.entries)).toEqual(expected);
  });

  it("captures a file inside for its preview", async () => {
    const walk = await walkTar(streamedTar(bytesReader(fixture("repo.tar.gz")), "gzip", unbounded()), { path: "repo/src/module.py", max: 1 << 20 });
    expect(Buffer.from(walk.captured!).toString()).toContain("def mean");
  });

  it("stops a bomb at the output budget and lists what it reached", async () => {
    const bomb = Buffer.concat([header("a.txt", 3), Buffer.alloc(512, 0), header("zeros.bin", 8 << 20), Buffer.alloc(8 << 20), header("after.txt", 1), Buffer.alloc(1024)]);
    bomb.write("hi\n", 512);
    const gz = zlib.gzipSync(bomb);
    expect(gz.length).toBeLessThan(64 * 1024);
    const walk = await walkTar(streamedTar(bytesReader(gz), "gzip", { maxOutput: 1 << 20, deadline: Date.now() + 10_000 }));
    expect(paths(walk.entries)).toEqual(["a.txt"]);
    expect(walk.reason).toMatch(/1 MiB decompressed/);
  });

  it("says damaged xz data cannot be read", async () => {
    const xz = Buffer.from(fixture("repo.tar.xz"));
    xz.fill(0x55, 40, 200);
    await expect(walkTar(streamedTar(bytesReader(xz), "xz", unbounded()))).rejects.toThrow(/xz data is damaged/);
  });

  it("says damaged gzip data cannot be read", async () => {
    const gz = Buffer.from(fixture("repo.tar.gz"));
    gz.fill(0x55, 20, 200);
    await expect(walkTar(streamedTar(bytesReader(gz), "gzip", unbounded()))).rejects.toThrow(/damaged/);
  });
});
