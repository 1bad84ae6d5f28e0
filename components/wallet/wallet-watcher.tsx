"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { reconnect, watchConnection } from "wagmi/actions";

import { signOut } from "@/components/auth/session-store";
import type { WalletOptions } from "@/lib/auth/wallet-options";

import { getWagmiConfig } from "./wagmi-config";

/**
 * While signed in, follows the wallet: if it switches to another account or chain, or disconnects,
 * the session of the old address is ended instead of being kept mismatched.
 */
export default function WalletWatcher({ address, chainId, options }: { address: string; chainId: number; options: WalletOptions }) {
  const router = useRouter();
  useEffect(() => {
    const config = getWagmiConfig(options);
    let wasConnected = false;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      void signOut().then(() => router.refresh());
    };
    const unwatch = watchConnection(config, {
      onChange(connection) {
        if (connection.status === "connected") {
          if (connection.address.toLowerCase() !== address.toLowerCase() || connection.chainId !== chainId) end();
          wasConnected = true;
        } else if (connection.status === "disconnected" && wasConnected) {
          end();
        }
      },
    });
    // Followed once wagmi has reconnected the wallet (before that, wallet events are not observed);
    // the attribute lets tests (and curious people) see it.
    void reconnect(config).finally(() => {
      if (!ended) document.documentElement.dataset.walletWatch = "on";
    });
    return () => {
      delete document.documentElement.dataset.walletWatch;
      unwatch();
    };
  }, [address, chainId, options, router]);
  return null;
}
