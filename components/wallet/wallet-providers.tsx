"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { WagmiProvider } from "wagmi";

import type { WalletOptions } from "@/lib/auth/wallet-options";

import { getQueryClient, getWagmiConfig } from "./wagmi-config";

export function WalletProviders({ options, children }: { options: WalletOptions; children: ReactNode }) {
  return (
    <WagmiProvider config={getWagmiConfig(options)}>
      <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>
    </WagmiProvider>
  );
}
