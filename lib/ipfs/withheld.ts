import "server-only";

import { sql } from "drizzle-orm";
import type { FsBlockstore } from "blockstore-fs";
import type { CID } from "multiformats/cid";

import { getDb, queryRows, type Tx } from "@/db/client";
import { withheldBlocks } from "@/db/schema";
import { WITHHELD_STATUS } from "@/db/vocabulary";

const INSERT_BATCH = 1000;

/** Records the blocks of `rootCid` (from `dagBlockCids`) as withheld from the network, inside the halting transaction. */
export async function withholdContent(tx: Tx, rootCid: string, blocks: AsyncIterable<string>): Promise<number> {
  let batch: string[] = [];
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.insert(withheldBlocks).values(batch.map((blockCid) => ({ blockCid, rootCid }))).onConflictDoNothing();
    total += batch.length;
    batch = [];
  };
  for await (const cid of blocks) {
    batch.push(cid);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
  return total;
}

/** Serves `rootCid`'s blocks again, unless another contribution with the same bytes is still halted. */
export async function releaseContent(tx: Tx, rootCid: string): Promise<void> {
  await tx.execute(sql`
    DELETE FROM ${withheldBlocks} w WHERE w.root_cid = ${rootCid}
      AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.cid = ${rootCid} AND c.status = ${WITHHELD_STATUS})`);
}

/** Is this block part of content that is halted now? (One indexed lookup.) */
export async function isBlockWithheld(cid: CID): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    getDb(),
    sql`SELECT 1 AS one FROM ${withheldBlocks} w WHERE w.block_cid = ${cid.toString()}
      AND EXISTS (SELECT 1 FROM contributions c WHERE c.cid = w.root_cid AND c.status = ${WITHHELD_STATUS}) LIMIT 1`,
  );
  return rows.length > 0;
}

function notFound(cid: CID): Error {
  // The name helia's storage layers recognise for a missing block.
  return Object.assign(new Error(`Not Found: ${cid.toString()}`), { name: "NotFoundError" });
}

/**
 * The block store the node shares with the IPFS network (bitswap answers peers from it): withheld
 * blocks are missing there. The app's own reads use the plain store, so owners and admins keep access.
 */
export function withholdingBlockstore(store: FsBlockstore, withheld: (cid: CID) => Promise<boolean> = isBlockWithheld): FsBlockstore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "has") {
        return async (cid: CID, options?: object) => !(await withheld(cid)) && target.has(cid, options);
      }
      if (prop === "get") {
        return async function* (cid: CID, options?: object) {
          if (await withheld(cid)) throw notFound(cid);
          yield* target.get(cid, options);
        };
      }
      if (prop === "getMany") {
        return async function* (cids: AsyncIterable<CID> | Iterable<CID>, options?: object) {
          for await (const cid of cids) {
            if (await withheld(cid)) throw notFound(cid);
            yield { cid, bytes: target.get(cid, options) };
          }
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
