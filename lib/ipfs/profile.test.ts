import { createHash } from "node:crypto";

import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";
import { describe, expect, it } from "vitest";

import { setupTestIpfs } from "@/test/ipfs";

import { addContent } from "./content";

/**
 * The CID of known bytes, computed independently of the importer from the 2025 profile's rules:
 * 1 MiB raw leaves (CIDv1, raw codec, sha2-256) under one dag-pb UnixFS `file` node (links first,
 * blocksizes of each leaf), CIDv1 dag-pb sha2-256 — and compared with what the node stores.
 */
const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createDigest(0x12, createHash("sha256").update(bytes).digest());

function independentCid(bytes: Uint8Array): string {
  if (bytes.length <= MiB) return CID.createV1(raw.code, sha256(bytes)).toString();
  const leaves: { cid: CID; size: number }[] = [];
  for (let offset = 0; offset < bytes.length; offset += MiB) {
    const chunk = bytes.subarray(offset, offset + MiB);
    leaves.push({ cid: CID.createV1(raw.code, sha256(chunk)), size: chunk.length });
  }
  const data = new UnixFS({ type: "file", blockSizes: leaves.map((l) => BigInt(l.size)) });
  const node = dagPb.encode(dagPb.prepare({ Data: data.marshal(), Links: leaves.map((l) => ({ Hash: l.cid, Name: "", Tsize: l.size })) }));
  return CID.createV1(dagPb.code, sha256(node)).toString();
}

setupTestIpfs("profile");

async function* once(bytes: Uint8Array) {
  yield bytes;
}

describe("CIDs follow the 2025 UnixFS profile", () => {
  // Deterministic bytes: a counter pattern, so the expected CIDs are stable across runs.
  const known = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 10)) & 0xff);

  it("a known text is the raw CIDv1 of its well-known sha2-256", async () => {
    const { content } = await addContent(once(new TextEncoder().encode("hello world\n")));
    // sha256("hello world\n"), as `sha256sum` prints it.
    const digest = Buffer.from("a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447", "hex");
    expect(content.sha256).toBe(digest.toString("hex"));
    expect(content.cid).toBe(CID.createV1(raw.code, createDigest(0x12, digest)).toString());
    expect(content.cid).toBe("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
  });

  it.each([1024, MiB, MiB + 1, 3 * MiB + 12_345])("%i bytes: the node's CID equals the independent computation", async (n) => {
    const bytes = known(n);
    const { content } = await addContent(once(bytes));
    expect(content.cid).toBe(independentCid(bytes));
  });
});
