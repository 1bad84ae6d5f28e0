"use client";

import { useCallback, useMemo, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSignMessage, type Connector } from "wagmi";

import { announceSessionChange, refreshSession } from "@/components/auth/session-store";
import { signInWithWallet } from "@/lib/auth/siwe-client";

export type Step = "choose" | "connecting" | "signing" | "verifying";

const CANCELLED = /reject|denied|cancel/i;

/** The wallets to offer. EIP-6963 wallets announce themselves by name; the generic "Injected" entry is then the same provider again, so it is offered only when no wallet announced itself. */
export function useOfferedConnectors() {
  const all = useConnectors();
  return useMemo(() => {
    const announced = all.filter((c) => c.id !== "injected");
    return announced.length > 0 ? announced : all;
  }, [all]);
}

/** Connect `connector` (unless it already is), sign a SIWE message, refresh the session; on failure disconnect and say why. */
export function useWalletSignIn(onSignedIn: () => void) {
  const connection = useConnection();
  const { mutateAsync: connect } = useConnect();
  const { mutateAsync: signMessage } = useSignMessage();
  const { mutate: disconnect } = useDisconnect();
  const [step, setStep] = useState<Step>("choose");
  const [error, setError] = useState<string | null>(null);

  const signIn = useCallback(
    async (connector: Connector) => {
      setError(null);
      try {
        setStep("connecting");
        let address = connection.status === "connected" && connection.connector?.uid === connector.uid ? connection.address : undefined;
        let chainId = connection.chainId;
        if (!address) {
          const result = await connect({ connector });
          address = result.accounts[0];
          chainId = result.chainId;
        }
        if (!address || !chainId) throw new Error("The wallet returned no account");

        const account = address;
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
        await refreshSession();
        announceSessionChange();
        onSignedIn();
      } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        setError(CANCELLED.test(text) ? "You cancelled the request in your wallet." : text.split("\n")[0]!);
        setStep("choose");
        disconnect();
      }
    },
    [connect, connection, disconnect, onSignedIn, signMessage],
  );

  return { step, error, signIn };
}
