"use client";

import { QueryClient } from "@tanstack/react-query";
import { createConfig, http, injected, type Config, type Transport } from "wagmi";
import { SIGN_IN_CHAINS } from "@/lib/chains";

/**
 * One wagmi config and one QueryClient for the browser. `injected()` plus EIP-6963 discovery
 * (`multiInjectedProviderDiscovery`) offers every installed wallet. Sign-in needs no RPC: the
 * transports are only used by later features that read the chain.
 */
let config: Config | undefined;
let queryClient: QueryClient | undefined;

export function getWagmiConfig(): Config {
  config ??= createConfig({
    chains: SIGN_IN_CHAINS,
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: Object.fromEntries(SIGN_IN_CHAINS.map((c) => [c.id, http()])) as Record<(typeof SIGN_IN_CHAINS)[number]["id"], Transport>,
    ssr: false,
  });
  return config;
}

export function getQueryClient(): QueryClient {
  queryClient ??= new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
  return queryClient;
}
