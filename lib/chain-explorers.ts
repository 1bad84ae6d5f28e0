/** Block explorers by chain id (none for local chains). */
const EXPLORERS: Record<number, string> = {
  1: "https://etherscan.io",
  11155111: "https://sepolia.etherscan.io",
  10: "https://optimistic.etherscan.io",
  8453: "https://basescan.org",
  42161: "https://arbiscan.io",
  137: "https://polygonscan.com",
};

export const CHAIN_NAMES: Record<number, string> = { 1: "Ethereum", 11155111: "Sepolia", 31337: "Hardhat (local)", 10: "OP Mainnet", 8453: "Base", 42161: "Arbitrum One", 137: "Polygon" };

export function txUrl(chainId: number | null, hash: string): string | null {
  const base = chainId ? EXPLORERS[chainId] : undefined;
  return base ? `${base}/tx/${hash}` : null;
}
