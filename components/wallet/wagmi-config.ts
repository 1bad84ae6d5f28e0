"use client";

import { QueryClient } from "@tanstack/react-query";
import { createConfig, http, injected, type Config } from "wagmi";
import { hardhat, mainnet, sepolia } from "wagmi/chains";

/**
 * One wagmi config and one QueryClient for the browser. `injected()` plus EIP-6963 discovery
 * (`multiInjectedProviderDiscovery`) offers every installed wallet. Sign-in needs no RPC: the
 * transports are only used by later features that read the chain.
 */
let config: Config | undefined;
let queryClient: QueryClient | undefined;

export function getWagmiConfig(): Config {
  config ??= createConfig({
    chains: [mainnet, sepolia, hardhat],
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: { [mainnet.id]: http(), [sepolia.id]: http(), [hardhat.id]: http() },
    ssr: false,
  });
  return config;
}

export function getQueryClient(): QueryClient {
  queryClient ??= new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
  return queryClient;
}
