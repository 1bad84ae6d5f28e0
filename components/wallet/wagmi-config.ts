"use client";

import { QueryClient } from "@tanstack/react-query";
import { createConfig, http, injected, type Config, type CreateConnectorFn, type Transport } from "wagmi";
import { coinbaseWallet, walletConnect } from "wagmi/connectors";

import type { WalletOptions } from "@/lib/auth/wallet-options";
import { SIGN_IN_CHAINS } from "@/lib/chains";

import { demoWallet } from "./demo-wallet-connector";

/**
 * One wagmi config and one QueryClient for the browser, made from the server's WalletOptions (the
 * same for the whole page). `injected()` plus EIP-6963 discovery (`multiInjectedProviderDiscovery`)
 * finds installed wallets; the demo wallet in demo mode; WalletConnect and Coinbase Wallet when a
 * project id is configured (their SDKs are imported by the connectors only then, on first use).
 * Sign-in needs no RPC: the transports are only used by later features that read the chain.
 */
let config: Config | undefined;
let queryClient: QueryClient | undefined;

/** The sign-in chains the server accepts, in its order (the first is where the demo wallet starts). */
export function acceptedChains(options: WalletOptions) {
  const chains = options.chainIds.flatMap((id) => SIGN_IN_CHAINS.filter((c) => c.id === id));
  return chains.length > 0 ? chains : [...SIGN_IN_CHAINS];
}

export function getWagmiConfig(options: WalletOptions): Config {
  if (config) return config;
  const chains = acceptedChains(options);
  const connectors: CreateConnectorFn[] = [injected()];
  if (options.demo) connectors.push(demoWallet());
  if (options.walletConnectProjectId) {
    const metadata = { name: "NWU Protocol", description: "Contribute, verify, earn.", url: window.location.origin, icons: [] };
    connectors.push(walletConnect({ projectId: options.walletConnectProjectId, metadata, showQrModal: true }), coinbaseWallet({ appName: metadata.name }));
  }
  config = createConfig({
    chains: chains as unknown as readonly [(typeof chains)[number], ...(typeof chains)[number][]],
    connectors,
    multiInjectedProviderDiscovery: true,
    transports: Object.fromEntries(chains.map((c) => [c.id, http()])) as Record<number, Transport>,
    ssr: false,
  });
  return config;
}

export function getQueryClient(): QueryClient {
  queryClient ??= new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
  return queryClient;
}
