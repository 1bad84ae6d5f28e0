import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { describe, expect, it } from "vitest";

import { setupTestIpfs } from "@/test/ipfs";

import { CorruptBlockError, addContent, isPinned, readContent } from "./content";
import { getIpfs } from "./node";

const dataDir = setupTestIpfs("ipfs");

async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(cid: string, offset: number, length: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of readContent(cid, { offset, length })) parts.push(part);
  return Buffer.concat(parts);
}

function blockFiles(): string[] {
  const dir = path.join(dataDir, "ipfs", "blocks");
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".data") && statSync(path.join(dir, f)).isFile());
}

describe("IPFS content (2025 UnixFS profile)", () => {
  it("stores a file under 1 MiB as one raw block whose CID is the raw CIDv1 of its sha2-256", async () => {
    const bytes = new TextEncoder().encode("hello NWU Protocol\n");
    const pending = await addContent(chunks(bytes));
    await pending.pin();
    const expected = CID.createV1(raw.code, await sha256.digest(bytes)).toString();
    expect(pending.content).toEqual({ cid: expected, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    expect(expected.startsWith("bafkrei")).toBe(true);
    expect(await isPinned(expected)).toBe(true);
    expect((await readAll(expected, 0, bytes.length)).equals(bytes)).toBe(true);
  });

  it("chunks larger files at 1 MiB into a dag-pb root, and reads any range back", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 12345);
    const pending = await addContent(chunks(bytes, 100_000));
    await pending.pin();
    const cid = CID.parse(pending.content.cid);
    expect(cid.version).toBe(1);
    expect(cid.code).toBe(0x70); // dag-pb root over raw leaves
    // Buffer#equals, not toEqual: deep-equality of megabytes is needlessly slow.
    expect((await readAll(pending.content.cid, 0, bytes.length)).equals(bytes)).toBe(true);
    expect((await readAll(pending.content.cid, 1024 * 1024 - 5, 10)).equals(bytes.subarray(1024 * 1024 - 5, 1024 * 1024 + 5))).toBe(true);
    expect((await readAll(pending.content.cid, bytes.length - 1, 1)).equals(bytes.subarray(bytes.length - 1))).toBe(true);
  });

  it("discard removes every block the upload created and its pin, and nothing else", async () => {
    const keep = await addContent(chunks(randomBytes(2 * 1024 * 1024)));
    await keep.pin();
    const before = blockFiles().length;
    const pending = await addContent(chunks(randomBytes(2 * 1024 * 1024 + 7)));
    await pending.pin();
    expect(blockFiles().length).toBe(before + 4); // 3 leaves + root
    await pending.discard();
    expect(blockFiles().length).toBe(before);
    expect(await isPinned(pending.content.cid)).toBe(false);
    expect(await readAll(keep.content.cid, 0, 10)).toHaveLength(10);
  });

  it("a source that fails mid-stream leaves no block behind", async () => {
    const before = blockFiles().length;
    async function* failing() {
      yield randomBytes(1024 * 1024);
      yield randomBytes(1024 * 1024);
      throw new Error("client went away");
    }
    await expect(addContent(failing())).rejects.toThrow("client went away");
    expect(blockFiles().length).toBe(before);
  });

  it("refuses to deliver a corrupted block", async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const pending = await addContent(chunks(bytes));
    await pending.pin();
    const node = await getIpfs();
    const leaf = CID.createV1(raw.code, await sha256.digest(bytes.subarray(1024 * 1024)));
    expect(await node.blockstore.has(leaf)).toBe(true);
    // Flip one byte in the second leaf's file on disk.
    const dir = path.join(dataDir, "ipfs", "blocks");
    const target = blockFiles()
      .map((f) => path.join(dir, f))
      .find((f) => statSync(f).size === 1024 * 1024 && readFileSync(f).equals(bytes.subarray(1024 * 1024)))!;
    expect(target).toBeDefined();
    const corrupted = Buffer.from(bytes.subarray(1024 * 1024));
    corrupted[100] = corrupted[100]! ^ 0xff;
    writeFileSync(target, corrupted);
    const received: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const part of readContent(pending.content.cid, { offset: 0, length: bytes.length })) received.push(part);
      })(),
    ).rejects.toBeInstanceOf(CorruptBlockError);
    // What was delivered before the failure is a correct prefix, never wrong bytes.
    const delivered = Buffer.concat(received);
    expect(delivered.equals(bytes.subarray(0, delivered.length))).toBe(true);
    expect(delivered.length).toBeLessThan(bytes.length);
  });
});
