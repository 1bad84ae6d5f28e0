import { randomBytes } from "node:crypto";

import { depthFirstWalker } from "@helia/utils";
import { importByteStream } from "ipfs-unixfs-importer";
import { CID } from "multiformats/cid";
import { describe, expect, it } from "vitest";

import { setupTestIpfs } from "@/test/ipfs";

import { IMPORT_OPTIONS } from "./content";
import { getIpfs } from "./node";
import { leafSkippingWalker } from "./pin-walker";

setupTestIpfs("pin-walker");

const MiB = 1024 * 1024;

async function* chunks(bytes: Uint8Array, size = 256 * 1024) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function importFile(bytes: Uint8Array): Promise<CID> {
  const node = await getIpfs();
  return (await importByteStream(chunks(bytes), node.blockstore, IMPORT_OPTIONS)).cid;
}

/** The block store with each `get` counted by CID, for one walk. */
async function countingComponents() {
  const node = await getIpfs();
  const reads: string[] = [];
  const blockstore = new Proxy(node.blockstore, {
    get(target, prop, receiver) {
      if (prop === "get") return (cid: CID, options?: object) => (reads.push(cid.toString()), target.get(cid, options));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { components: { blockstore, getCodec: node.helia.getCodec }, reads };
}

async function walkCids(factory: typeof leafSkippingWalker, root: CID, depth?: number) {
  const { components, reads } = await countingComponents();
  const seen: { cid: string; depth: number }[] = [];
  for await (const node of factory(components).walk(root, { depth })) seen.push({ cid: node.block.cid.toString(), depth: node.depth });
  return { seen, reads };
}

describe("leafSkippingWalker (what pins.add walks)", () => {
  it("visits exactly the blocks helia's depth-first walker visits, at the same depths, reading only inner nodes", async () => {
    const root = await importFile(randomBytes(5 * MiB + 777));
    const reference = await walkCids(depthFirstWalker(), root);
    const ours = await walkCids(leafSkippingWalker, root);
    expect(new Set(ours.seen.map((n) => `${n.cid}@${n.depth}`))).toEqual(new Set(reference.seen.map((n) => `${n.cid}@${n.depth}`)));
    expect(ours.seen).toHaveLength(7); // the dag-pb root and six 1 MiB raw leaves
    expect(reference.reads).toHaveLength(7);
    // Read once to check every block is here, once to walk; the leaves never.
    expect(ours.reads).toEqual([root.toString(), root.toString()]);
  });

  it("stops at the depth asked for", async () => {
    const root = await importFile(randomBytes(2 * MiB + 1));
    const ours = await walkCids(leafSkippingWalker, root, 0);
    expect(ours.seen).toEqual([{ cid: root.toString(), depth: 0 }]);
  });

  it("pins every block of the DAG, as helia's walker would, and unpins them all", async () => {
    const node = await getIpfs();
    const root = await importFile(randomBytes(3 * MiB + 5));
    const blocks = (await walkCids(depthFirstWalker(), root)).seen.map((n) => n.cid);
    for await (const _ of node.helia.pins.add(root, { walker: leafSkippingWalker })) void _;
    for (const cid of blocks) expect(await node.helia.pins.isPinned(CID.parse(cid))).toBe(true);
    for await (const _ of node.helia.pins.rm(root, { walker: leafSkippingWalker })) void _;
    for (const cid of blocks) expect(await node.helia.pins.isPinned(CID.parse(cid))).toBe(false);
  });

  it("refuses to pin a DAG one of whose leaves is missing, before writing any pin record", async () => {
    const node = await getIpfs();
    const root = await importFile(randomBytes(2 * MiB + 9));
    const leaf = (await walkCids(depthFirstWalker(), root)).seen.find((n) => n.depth === 1)!;
    await node.blockstore.delete(CID.parse(leaf.cid));
    const pinning = (async () => {
      for await (const _ of node.helia.pins.add(root, { walker: leafSkippingWalker })) void _;
    })();
    await expect(pinning).rejects.toThrow(/is missing/);
    expect(await node.helia.pins.isPinned(root)).toBe(false);
    for await (const _ of node.helia.pins.ls()) throw new Error("no pin expected");
  });
});
