import { getAddress } from "viem";

/**
 * EIP-55 checksummed addresses, memoized: a list page shows the same owners again and again, and
 * each checksum is a keccak-256. Bounded so memory stays flat.
 */
const cache = new Map<string, string>();
const MAX = 50_000;

export function checksum(address: string): string {
  let out = cache.get(address);
  if (out === undefined) {
    out = getAddress(address);
    if (cache.size >= MAX) cache.clear();
    cache.set(address, out);
  }
  return out;
}
