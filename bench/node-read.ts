/**
 * A bare read of one file straight from the IPFS data folder in DATA_DIR, for the file-transfer
 * scenario's floors: `tsx --conditions=react-server bench/node-read.ts <kind> <cid> <size> <warm-cid> <warm-size>`.
 * Runs in a fresh process (nothing else in its heap), reads the small warm-up file first, then
 * prints one JSON line: bytes, seconds, CPU seconds and RSS growth of the measured read.
 */
import "@/lib/ipfs/polyfill";

import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { FsBlockstore } from "blockstore-fs";
import { exporter } from "ipfs-unixfs-exporter";
import { CID } from "multiformats/cid";

import { getEnv } from "@/lib/config/env";
import { tuneGarbageCollection } from "@/lib/gc-tuning";
import { READ_WINDOW, readContent } from "@/lib/ipfs/content";
import { stopIpfs } from "@/lib/ipfs/node";

export type NodeReadKind = "readContent" | "exporter-windowed" | "exporter-cat";

export interface NodeReadResult {
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  rssGrowth: number;
}

async function read(kind: NodeReadKind, cidText: string, size: number, blockstore: FsBlockstore): Promise<number> {
  let bytes = 0;
  if (kind === "readContent") {
    // The download route's own read: 4 MiB windows, every block checked against its CID.
    for await (const chunk of readContent(cidText, { offset: 0, length: size })) bytes += chunk.byteLength;
    return bytes;
  }
  if (kind === "exporter-cat") {
    // As unixfs.cat: content() with its defaults, straight on the FsBlockstore.
    const entry = await exporter(CID.parse(cidText), blockstore);
    if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${cidText} is not a file`);
    for await (const chunk of entry.content()) bytes += chunk.byteLength;
    return bytes;
  }
  // The same windows as readContent without the check. FsBlockstore streams a block file in 64 KiB
  // pieces, which the exporter would join one piece at a time (it-to-buffer: ~8.5 MiB copied per
  // 1 MiB block); like readContent's store, this one joins them once.
  const wholeBlocks = {
    async *get(cid: CID, options?: { signal?: AbortSignal }) {
      const pieces: Uint8Array[] = [];
      for await (const piece of blockstore.get(cid, options)) pieces.push(piece);
      yield pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    },
  };
  const entry = await exporter(CID.parse(cidText), wholeBlocks);
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${cidText} is not a file`);
  for (let offset = 0; offset < size; offset += READ_WINDOW) {
    const length = Math.min(READ_WINDOW, size - offset);
    for await (const chunk of entry.content({ offset, length, blockReadConcurrency: 1 })) bytes += chunk.byteLength;
  }
  return bytes;
}

const status = (field: "VmRSS" | "VmHWM") => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024;
const cpuSeconds = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};

// As the server and the worker do at start (lib/gc-tuning.ts), so the floor reads under the same GC.
tuneGarbageCollection();
const [kind, cid, size, warmCid, warmSize] = process.argv.slice(2) as [NodeReadKind, string, string, string, string];
const blockstore = new FsBlockstore(path.join(getEnv().DATA_DIR, "ipfs", "blocks"));
await blockstore.open();
try {
  await read(kind, warmCid, Number(warmSize), blockstore);
  const rssBefore = status("VmRSS");
  const [started, cpu] = [performance.now(), cpuSeconds()];
  const bytes = await read(kind, cid, Number(size), blockstore);
  const result: NodeReadResult = {
    bytes,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds() - cpu,
    rssGrowth: status("VmHWM") - rssBefore,
  };
  console.log(JSON.stringify(result));
} finally {
  await blockstore.close();
  await stopIpfs();
}
