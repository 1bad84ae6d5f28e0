"use client";

import { memo, useCallback, useEffect, useRef } from "react";
import type { Connector } from "wagmi";

import { useOfferedConnectors, useWalletSignIn, type Step } from "./use-wallet-sign-in";
import { WalletProviders } from "./wallet-providers";

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
  const connectors = useOfferedConnectors();
  const signedIn = useCallback(() => {
    dialog.current?.close();
    onSignedIn();
  }, [onSignedIn]);
  const { step, error, signIn } = useWalletSignIn(signedIn);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="wallet-dialog-title" onClose={onClose} data-testid="wallet-dialog">
      <h2 id="wallet-dialog-title">Connect wallet</h2>
      <p aria-live="polite">{STEP_TEXT[step]}</p>
      {connectors.length === 0 ? (
        <p>No wallet found in this browser. Install a wallet extension such as MetaMask, then reload.</p>
      ) : (
        <ConnectorList connectors={connectors} disabled={step !== "choose"} onPick={signIn} />
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

// Memoized: the step text and error re-render the dialog while the list stays as it is.
const ConnectorList = memo(function ConnectorList({ connectors, disabled, onPick }: { connectors: readonly Connector[]; disabled: boolean; onPick: (c: Connector) => Promise<void> }) {
  return (
    <ul>
      {connectors.map((c) => (
        <li key={c.uid}>
          <button type="button" className="button button-secondary" disabled={disabled} onClick={() => void onPick(c)}>
            {/* Wallet icons are data: URIs announced by the wallet (EIP-6963); next/image cannot optimise them. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {c.icon ? <img src={c.icon} alt="" width={20} height={20} /> : null}
            {c.name}
          </button>
        </li>
      ))}
    </ul>
  );
});
