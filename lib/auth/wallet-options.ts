import "server-only";

import { getEnv } from "@/lib/config/env";

import { demoRoleAccounts, type DemoRole } from "./demo-session";

/** What the connect dialog may offer, decided by the server per request (no rebuild to change it). */
export interface WalletOptions {
  /** Chain ids a sign-in message may name (SIWE_CHAIN_IDS): a wallet elsewhere is asked to switch. */
  chainIds: number[];
  /** Set: WalletConnect and Coinbase Wallet are offered. */
  walletConnectProjectId: string | null;
  /** Demo mode: the burner wallet and the role switch, with the role accounts' public addresses. */
  demo: { roles: { role: DemoRole; address: string }[] } | null;
}

// A value given only at build time is inlined here by Next; the runtime one wins.
const BUILT_PROJECT_ID = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;

export function walletOptions(): WalletOptions {
  const env = getEnv();
  return {
    chainIds: env.SIWE_CHAIN_IDS,
    walletConnectProjectId: env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID ?? (BUILT_PROJECT_ID || null),
    demo: env.demoMode ? { roles: demoRoleAccounts() } : null,
  };
}
