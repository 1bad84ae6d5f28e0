import { arbitrum, base, hardhat, mainnet, optimism, polygon, sepolia, type Chain } from "viem/chains";

/** Chains a wallet may sign in from unless SIWE_CHAIN_IDS says otherwise (Hardhat for local development). */
export const SIGN_IN_CHAINS = [mainnet, sepolia, hardhat] as const;

/** Every chain the app can name, from viem's own chain objects (name and block explorer included). */
const KNOWN_CHAINS: readonly Chain[] = [...SIGN_IN_CHAINS, optimism, base, arbitrum, polygon];
const BY_ID: ReadonlyMap<number, Chain> = new Map(KNOWN_CHAINS.map((c) => [c.id, c]));

export const chainName = (chainId: number): string => BY_ID.get(chainId)?.name ?? `chain ${chainId}`;

/** A transaction on its chain's block explorer; none for chains without one (local chains). */
export function txUrl(chainId: number | null, hash: string): string | null {
  const explorer = chainId ? BY_ID.get(chainId)?.blockExplorers?.default.url : undefined;
  return explorer ? `${explorer}/tx/${hash}` : null;
}
