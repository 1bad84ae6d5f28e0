"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSignMessage, type Connector } from "wagmi";

import { announceSessionChange, refreshSession } from "@/components/auth/session-store";
import { signInWithWallet } from "@/lib/auth/siwe-client";

import { WalletProviders } from "./wallet-providers";

type Step = "choose" | "connecting" | "signing" | "verifying";

const STEP_TEXT: Record<Step, string> = {
  choose: "Choose a wallet",
  connecting: "Approve the connection in your wallet…",
  signing: "Sign the message in your wallet to prove you own this address…",
  verifying: "Checking the signature…",
};

/** Connect → sign a Sign-In With Ethereum message → signed in. Loaded only when opened. */
export default function WalletDialog(props: { onClose: () => void; onSignedIn: () => void }) {
  return (
    <WalletProviders>
      <SignInFlow {...props} />
    </WalletProviders>
  );
}

function SignInFlow({ onClose, onSignedIn }: { onClose: () => void; onSignedIn: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const all = useConnectors();
  // EIP-6963 wallets announce themselves by name; the generic "Injected" entry is then the same
  // provider again, so it is offered only when no wallet announced itself.
  const connectors = useMemo(() => {
    const announced = all.filter((c) => c.id !== "injected");
    return announced.length > 0 ? announced : all;
  }, [all]);
  const connection = useConnection();
  const { mutateAsync: connect } = useConnect();
  const { mutateAsync: signMessage } = useSignMessage();
  const { mutate: disconnect } = useDisconnect();
  const [step, setStep] = useState<Step>("choose");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

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
        dialog.current?.close();
        onSignedIn();
      } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        setError(/reject|denied|cancel/i.test(text) ? "You cancelled the request in your wallet." : text.split("\n")[0]!);
        setStep("choose");
        disconnect();
      }
    },
    [connect, connection, disconnect, onSignedIn, signMessage],
  );

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="wallet-dialog-title" onClose={onClose} data-testid="wallet-dialog">
      <h2 id="wallet-dialog-title">Connect wallet</h2>
      <p aria-live="polite">{STEP_TEXT[step]}</p>
      {connectors.length === 0 ? (
        <p>No wallet found in this browser. Install a wallet extension such as MetaMask, then reload.</p>
      ) : (
        <ul>
          {connectors.map((c) => (
            <li key={c.uid}>
              <button type="button" className="button button-secondary" disabled={step !== "choose"} onClick={() => void signIn(c)}>
                {/* Wallet icons are data: URIs announced by the wallet (EIP-6963); next/image cannot optimise them. */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                {c.icon ? <img src={c.icon} alt="" width={20} height={20} /> : null}
                {c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()}>
        Cancel
      </button>
    </dialog>
  );
}
