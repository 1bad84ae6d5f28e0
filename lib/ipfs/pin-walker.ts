import "server-only";

import type { CodecLoader, GraphNode, GraphWalker, GraphWalkerFactory } from "helia";
import { createUnsafe } from "multiformats/block";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";

/**
 * The walker `pins.add` runs, without reading raw leaves. Helia's own walkers read every block of
 * the DAG back from disk to find its links — for a 1 GiB file, 1 GiB read and each 1 MiB leaf joined
 * from its pieces — only for `pins.add` to use each node's CID. A raw leaf has no links: its presence
 * is checked (a stat), its bytes stay on disk. Inner (dag-pb) nodes are read and decoded as before.
 * Depth-first, one block at a time: memory stays at the stack of pending CIDs (≤ 1024 per level).
 */
export const leafSkippingWalker: GraphWalkerFactory = ({ blockstore, getCodec }) => new LeafSkippingWalker(blockstore, getCodec);

class LeafSkippingWalker implements GraphWalker {
  constructor(
    private readonly blockstore: Parameters<GraphWalkerFactory>[0]["blockstore"],
    private readonly getCodec: CodecLoader,
  ) {}

  async *walk<T>(root: CID, options: { depth?: number; signal?: AbortSignal } = {}): AsyncGenerator<GraphNode<T>> {
    // A first pass checks that every block is here, so a missing one fails the pin before pins.add
    // has written a record for any block (helia's walker fails halfway, leaving half a pin).
    for await (const _ of this.nodes<T>(root, options, true)) void _;
    yield* this.nodes<T>(root, options, false);
  }

  private async *nodes<T>(root: CID, options: { depth?: number; signal?: AbortSignal }, checkLeaves: boolean): AsyncGenerator<GraphNode<T>> {
    const maxDepth = options.depth ?? Infinity;
    const stack: { cid: CID; depth: number; path: CID[] }[] = [{ cid: root, depth: 0, path: [root] }];
    while (stack.length > 0) {
      const { cid, depth, path } = stack.pop()!;
      options.signal?.throwIfAborted();
      if (cid.code === raw.code) {
        if (checkLeaves && !(await this.blockstore.has(cid, options))) throw new Error(`block ${cid} is missing: the DAG cannot be pinned`);
        // pins.add reads only `block.cid`; the bytes are deliberately not loaded.
        yield { block: { cid } as unknown as GraphNode<T>["block"], depth, path };
        continue;
      }
      const block = createUnsafe<T, number, number, 0 | 1>({ cid, bytes: await this.read(cid, options), codec: await this.getCodec(cid.code) });
      if (depth < maxDepth) {
        const children = [...block.links()].map(([, child]) => child);
        for (let i = children.length - 1; i >= 0; i--) stack.push({ cid: children[i]!, depth: depth + 1, path: [...path, children[i]!] });
      }
      yield { block, depth, path };
    }
  }

  private async read(cid: CID, options: { signal?: AbortSignal }): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.blockstore.get(cid, options)) chunks.push(chunk);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}
