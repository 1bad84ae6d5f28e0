"use client";

import { useCallback, useMemo, useState } from "react";
import { useConfig, useConnect, useConnectors, useDisconnect, useSignMessage, useSwitchChain, type Connector } from "wagmi";
import { getConnections } from "wagmi/actions";

import { forgetWalletlessSession } from "@/components/auth/demo-roles";
import { announceSessionChange, refreshSession } from "@/components/auth/session-store";
import { signInWithWallet } from "@/lib/auth/siwe-client";

import { DEMO_WALLET_ID } from "./demo-wallet-connector";

export type Step = "choose" | "connecting" | "network" | "switching" | "signing" | "verifying";

const CANCELLED = /reject|denied|cancel/i;
const REMOTE_IDS = new Set(["walletConnect", "coinbaseWalletSDK"]);

export interface OfferedConnectors {
  /** Wallets in this browser: EIP-6963 announcements, else the legacy `window.ethereum` if there is one. */
  browser: Connector[];
  /** WalletConnect and Coinbase Wallet (configured deployments only). */
  remote: Connector[];
  demo: Connector | undefined;
}

/**
 * The wallets to offer, only ones that exist. The generic injected connector is `window.ethereum`,
 * which an announcing wallet also is: it is offered only when nothing announced itself and a
 * legacy provider is really there (otherwise it would answer "Provider not found").
 */
export function useOfferedConnectors(): OfferedConnectors {
  const all = useConnectors();
  return useMemo(() => {
    const announced = all.filter((c) => c.type === "injected" && c.id !== "injected");
    const legacy = all.filter((c) => c.id === "injected" && typeof window !== "undefined" && Boolean((window as { ethereum?: unknown }).ethereum));
    return {
      browser: announced.length > 0 ? announced : legacy,
      remote: all.filter((c) => REMOTE_IDS.has(c.id)),
      demo: all.find((c) => c.id === DEMO_WALLET_ID),
    };
  }, [all]);
}

/**
 * Connect `connector` (unless it already is), make sure it is on a chain the server accepts (else
 * wait for the user to pick one to switch to), sign a SIWE message, refresh the session; on failure
 * disconnect and say why.
 */
export function useWalletSignIn(acceptedChainIds: readonly number[], onSignedIn: () => void) {
  const config = useConfig();
  const { mutateAsync: connect } = useConnect();
  const { mutateAsync: signMessage } = useSignMessage();
  const { mutateAsync: switchChain } = useSwitchChain();
  const { mutate: disconnect } = useDisconnect();
  const [step, setStep] = useState<Step>("choose");
  const [error, setError] = useState<string | null>(null);
  const [wrongChain, setWrongChain] = useState<{ connector: Connector; address: `0x${string}`; chainId: number } | null>(null);

  const fail = useCallback(
    (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      setError(CANCELLED.test(text) ? "You cancelled the request in your wallet." : text.split("\n")[0]!);
      setStep("choose");
      setWrongChain(null);
      disconnect();
    },
    [disconnect],
  );

  const finish = useCallback(
    async (connector: Connector, account: `0x${string}`, chainId: number) => {
      const res = await signInWithWallet({
        origin: window.location.origin,
        address: account,
        chainId,
        sign: (message) => signMessage({ message, account, connector }),
        onStep: setStep,
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        throw new Error(body.error ?? `Sign-in failed (${res.status})`);
      }
      forgetWalletlessSession();
      await refreshSession();
      announceSessionChange();
      onSignedIn();
    },
    [onSignedIn, signMessage],
  );

  const signIn = useCallback(
    async (connector: Connector) => {
      setError(null);
      try {
        setStep("connecting");
        const existing = getConnections(config).find((c) => c.connector.uid === connector.uid);
        const { accounts, chainId } = existing ?? (await connect({ connector }));
        const address = accounts[0];
        if (!address || !chainId) throw new Error("The wallet returned no account");
        if (!acceptedChainIds.includes(chainId)) {
          setWrongChain({ connector, address, chainId });
          setStep("network");
          return;
        }
        await finish(connector, address, chainId);
      } catch (e) {
        fail(e);
      }
    },
    [acceptedChainIds, config, connect, fail, finish],
  );

  const switchAndSignIn = useCallback(
    async (chainId: number) => {
      if (!wrongChain) return;
      setError(null);
      try {
        setStep("switching");
        await switchChain({ chainId, connector: wrongChain.connector });
        setWrongChain(null);
        await finish(wrongChain.connector, wrongChain.address, chainId);
      } catch (e) {
        fail(e);
      }
    },
    [fail, finish, switchChain, wrongChain],
  );

  return { step, error, wrongChain, signIn, switchAndSignIn };
}
