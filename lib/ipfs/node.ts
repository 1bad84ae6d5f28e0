import "server-only";
import "./polyfill";

import { mkdirSync } from "node:fs";
import path from "node:path";

import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHelia, createHeliaLight, type Helia } from "helia";

import { getEnv } from "@/lib/config/env";

import { withholdingBlockstore } from "./withheld";

export interface IpfsNode {
  helia: Helia;
  blockstore: FsBlockstore;
  stop(): Promise<void>;
}

/**
 * One embedded IPFS node per process, blocks and data on disk under DATA_DIR/ipfs. Offline by
 * default (no ports opened); IPFS_NETWORK=on joins the public network (libp2p + HTTP routing).
 */
async function startNode(): Promise<IpfsNode> {
  const env = getEnv();
  const root = path.resolve(env.DATA_DIR, "ipfs");
  mkdirSync(root, { recursive: true });
  const blockstore = new FsBlockstore(path.join(root, "blocks"));
  const datastore = new FsDatastore(path.join(root, "datastore"));
  await blockstore.open();
  await datastore.open();
  // Peers are served from a view without halted content's blocks; the app reads `blockstore` itself.
  const helia =
    env.IPFS_NETWORK === "on" ? await createHelia({ blockstore: withholdingBlockstore(blockstore), datastore }) : createHeliaLight({ blockstore, datastore });
  await helia.start();
  return {
    helia,
    blockstore,
    async stop() {
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    },
  };
}

const globalForIpfs = globalThis as unknown as { __nwuIpfs?: Promise<IpfsNode> };

export function getIpfs(): Promise<IpfsNode> {
  globalForIpfs.__nwuIpfs ??= startNode().catch((error) => {
    globalForIpfs.__nwuIpfs = undefined;
    throw error;
  });
  return globalForIpfs.__nwuIpfs;
}

export async function stopIpfs(): Promise<void> {
  const node = globalForIpfs.__nwuIpfs;
  globalForIpfs.__nwuIpfs = undefined;
  await (await node)?.stop();
}
