import "server-only";

import { createHash, randomUUID } from "node:crypto";

import { exporter } from "ipfs-unixfs-exporter";
import { importByteStream } from "ipfs-unixfs-importer";
import { CID } from "multiformats/cid";

import { getIpfs } from "./node";
import { leafSkippingWalker } from "./pin-walker";
import { transferReclaimer } from "./reclaim";

/**
 * The 2025 UnixFS profile (IPIP-499): CIDv1, raw leaves, sha2-256, 1 MiB chunks, balanced DAGs
 * 1024 links wide. Any implementation using the profile computes the same CID for the same bytes.
 */
export const IMPORT_OPTIONS = {
  profile: "unixfs-v1-2025",
  // The importer's default writes 50 one-MiB blocks at once: 50 MiB in flight per upload. The
  // network is slower than the disk anyway; one block in flight keeps memory flat.
  blockWriteConcurrency: 1,
  fileImportConcurrency: 1,
} as const;
const SHA2_256 = 0x12;
/** Downloads read this much per pull of the response stream: memory stays flat (see stack notes). */
export const READ_WINDOW = 4 * 1024 * 1024;

export class CorruptBlockError extends Error {
  constructor(readonly cid: string) {
    super(`block ${cid} does not match its CID (corrupted on disk)`);
    this.name = "CorruptBlockError";
  }
}

export interface AddedContent {
  cid: string;
  size: number;
  sha256: string;
}

/** Blocks created by uploads still in flight, and which uploads created them. */
const inFlight = new Map<string, Set<string>>();

export interface PendingContent {
  content: AddedContent;
  /** Pins the root (once per CID); after this, the blocks belong to the pin. */
  pin(): Promise<void>;
  /** Undoes the upload: its pin (if this upload made it) and every block only it created. */
  discard(): Promise<void>;
}

/**
 * Streams bytes into the node without buffering the file, hashing (sha256) on the way. Every block
 * it newly creates is remembered until the upload is pinned or discarded, so a failure at any point
 * — a cap hit, a client abort, a database error after the import — leaves no block behind.
 */
export async function addContent(source: AsyncIterable<Uint8Array>): Promise<PendingContent> {
  const node = await getIpfs();
  const uploadId = randomUUID();
  const created: CID[] = [];
  const hash = createHash("sha256");
  let size = 0;
  let pinnedHere = false;
  let rootCid: CID | undefined;

  async function* hashing() {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.byteLength;
      transferReclaimer.streamed(chunk.byteLength);
      yield chunk;
    }
  }

  const recordingStore = {
    put: async (cid: CID, bytes: Uint8Array) => {
      const key = cid.toString();
      const holders = inFlight.get(key);
      if (holders) holders.add(uploadId);
      else if (!(await node.blockstore.has(cid))) inFlight.set(key, new Set([uploadId]));
      else return node.blockstore.put(cid, bytes);
      created.push(cid);
      return node.blockstore.put(cid, bytes);
    },
  };

  const release = () => {
    for (const cid of created) {
      const holders = inFlight.get(cid.toString());
      holders?.delete(uploadId);
      if (holders?.size === 0) inFlight.delete(cid.toString());
    }
  };

  const discard = async () => {
    if (pinnedHere && rootCid) await drain(node.helia.pins.rm(rootCid, { walker: leafSkippingWalker })).catch(() => {});
    // Blocks another in-flight upload also wrote stay: that upload may still pin them.
    const victims = created.filter((cid) => {
      const holders = inFlight.get(cid.toString());
      return !holders || (holders.size === 1 && holders.has(uploadId));
    });
    release();
    for (const cid of victims) {
      if (!(await node.helia.pins.isPinned(cid))) await node.blockstore.delete(cid).catch(() => {});
    }
  };

  try {
    const result = await importByteStream(hashing(), recordingStore, IMPORT_OPTIONS);
    rootCid = result.cid;
  } catch (error) {
    await discard();
    throw error;
  }

  const root = rootCid;
  return {
    content: { cid: root.toString(), size, sha256: hash.digest("hex") },
    async pin() {
      if (!(await node.helia.pins.isPinned(root))) {
        await drain(node.helia.pins.add(root, { walker: leafSkippingWalker }));
        pinnedHere = true;
      }
      release();
    },
    discard,
  };
}

/** Pin operations are generators yielding each block as they go: run them to the end. */
async function drain(generator: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of generator) {
    // nothing to do per block
  }
}

/** A block store view that checks every block against its CID before handing it out. */
async function verifyingStore() {
  const node = await getIpfs();
  return {
    async *get(cid: CID, options?: { signal?: AbortSignal }) {
      if (cid.multihash.code !== SHA2_256) throw new CorruptBlockError(cid.toString());
      const chunks: Uint8Array[] = [];
      for await (const chunk of node.blockstore.get(cid, options)) chunks.push(chunk);
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const digest = createHash("sha256").update(bytes).digest();
      if (!digest.equals(cid.multihash.digest)) throw new CorruptBlockError(cid.toString());
      yield bytes;
    },
  };
}

/**
 * Reads `[offset, offset + length)` of a file, one READ_WINDOW at a time, each block verified
 * against its CID before any of its bytes are returned: corrupted storage raises
 * CorruptBlockError instead of delivering wrong bytes.
 */
export async function* readContent(cidText: string, range: { offset: number; length: number }, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const store = await verifyingStore();
  const entry = await exporter(CID.parse(cidText), store, { signal });
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${cidText} is not a file`);
  let position = range.offset;
  const end = range.offset + range.length;
  while (position < end) {
    const length = Math.min(READ_WINDOW, end - position);
    for await (const chunk of entry.content({ offset: position, length, blockReadConcurrency: 1, signal })) {
      transferReclaimer.streamed(chunk.byteLength);
      yield chunk;
    }
    position += length;
  }
}

/** Whether the node has the root pinned (tests and health count on it). */
export async function isPinned(cidText: string): Promise<boolean> {
  const node = await getIpfs();
  return node.helia.pins.isPinned(CID.parse(cidText));
}

const DAG_PB = 0x70;

/**
 * Every block of a file's DAG, root first. Only the DAG's inner nodes are read (raw leaves are
 * named by their parents), so a 1 GiB file costs a couple of block reads.
 */
export async function* dagBlockCids(cidText: string): AsyncGenerator<string> {
  const node = await getIpfs();
  const stack = [CID.parse(cidText)];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    yield cid.toString();
    // A block this node does not hold (the file was added elsewhere) is withheld by name; its children cannot be named.
    if (cid.code !== DAG_PB || !(await node.blockstore.has(cid))) continue;
    const entry = await exporter(cid, node.blockstore);
    if (entry.type === "file" || entry.type === "directory") for (const link of [...entry.node.Links].reverse()) stack.push(link.Hash);
  }
}
