"use client";

import { memo, useCallback, useEffect, useMemo, useRef } from "react";
import type { Connector } from "wagmi";

import { DEMO_ROLE_LABEL, useDemoRoleSignIn } from "@/components/auth/demo-roles";
import type { DemoRole } from "@/lib/auth/demo-session";
import type { WalletOptions } from "@/lib/auth/wallet-options";
import { chainName } from "@/lib/chains";

import { useOfferedConnectors, useWalletSignIn, type Step } from "./use-wallet-sign-in";
import { acceptedChains } from "./wagmi-config";
import { WalletProviders } from "./wallet-providers";

const STEP_TEXT: Record<Step, string> = {
  choose: "Choose a wallet",
  connecting: "Approve the connection in your wallet…",
  network: "Your wallet is on a network this app does not accept for sign-in.",
  switching: "Approve the network switch in your wallet…",
  signing: "Sign the message in your wallet to prove you own this address…",
  verifying: "Checking the signature…",
};

interface Props {
  options: WalletOptions;
  onClose: () => void;
  onSignedIn: () => void;
}

/** Connect → (switch network) → sign a Sign-In With Ethereum message → signed in. Loaded only when opened. */
export default function WalletDialog(props: Props) {
  return (
    <WalletProviders options={props.options}>
      <SignInFlow {...props} />
    </WalletProviders>
  );
}

function SignInFlow({ options, onClose, onSignedIn }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const offered = useOfferedConnectors();
  const signedIn = useCallback(() => {
    dialog.current?.close();
    onSignedIn();
  }, [onSignedIn]);
  const { step, error, wrongChain, signIn, switchAndSignIn } = useWalletSignIn(options.chainIds, signedIn);
  const { pick: pickRole, pending: rolePending, error: roleError } = useDemoRoleSignIn(signedIn);
  const busy = (step !== "choose" && step !== "network") || rolePending;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="wallet-dialog-title" onClose={onClose} data-testid="wallet-dialog">
      <h2 id="wallet-dialog-title">Connect wallet</h2>
      <p aria-live="polite">{STEP_TEXT[step]}</p>
      {step === "network" && wrongChain ? (
        <NetworkSwitch chainId={wrongChain.chainId} options={options} onSwitch={switchAndSignIn} />
      ) : (
        <>
          {offered.browser.length > 0 ? <ConnectorList connectors={offered.browser} disabled={busy} onPick={signIn} /> : <NoWallet demo={options.demo !== null} remote={offered.remote.length > 0} />}
          {offered.remote.length > 0 ? <ConnectorList connectors={offered.remote} disabled={busy} onPick={signIn} /> : null}
          {options.demo ? <DemoChoices wallet={offered.demo} roles={options.demo.roles} disabled={busy} onWallet={signIn} onRole={pickRole} /> : null}
        </>
      )}
      {error || roleError ? (
        <p role="alert" className="error-text">
          {error ?? roleError}
        </p>
      ) : null}
      <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()}>
        Cancel
      </button>
    </dialog>
  );
}

function NoWallet({ demo, remote }: { demo: boolean; remote: boolean }) {
  return (
    <p data-testid="no-wallet">
      No wallet found in this browser. Install a wallet extension such as{" "}
      <a href="https://metamask.io/download/" target="_blank" rel="noreferrer">
        MetaMask
      </a>{" "}
      or{" "}
      <a href="https://rabby.io/" target="_blank" rel="noreferrer">
        Rabby
      </a>
      , then reload this page{remote ? "; or connect a phone wallet with WalletConnect" : ""}.{demo ? " Or try the app right now with a demo wallet, below." : ""}
    </p>
  );
}

const NetworkSwitch = memo(function NetworkSwitch({ chainId, options, onSwitch }: { chainId: number; options: WalletOptions; onSwitch: (chainId: number) => Promise<void> }) {
  const chains = useMemo(() => acceptedChains(options), [options]);
  return (
    <div role="group" aria-labelledby="network-switch-title" data-testid="network-switch">
      <p id="network-switch-title">
        It is on <strong>{chainName(chainId)}</strong>. Switch network to one of these, then sign:
      </p>
      <ul>
        {chains.map((c) => (
          <li key={c.id}>
            <button type="button" className="button button-primary" onClick={() => void onSwitch(c.id)}>
              Switch network to {c.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
});

const DemoChoices = memo(function DemoChoices({
  wallet,
  roles,
  disabled,
  onWallet,
  onRole,
}: {
  wallet: Connector | undefined;
  roles: NonNullable<WalletOptions["demo"]>["roles"];
  disabled: boolean;
  onWallet: (c: Connector) => Promise<void>;
  onRole: (role: DemoRole) => Promise<void>;
}) {
  return (
    <section className="dialog-demo" aria-labelledby="dialog-demo-title">
      <h3 id="dialog-demo-title">Demo mode: no wallet needed</h3>
      {wallet ? (
        <>
          <button type="button" className="button button-primary" disabled={disabled} onClick={() => void onWallet(wallet)}>
            Try with a demo wallet
          </button>
          <p className="muted">A new key made in this browser and kept in it. It signs in like any wallet and holds nothing.</p>
        </>
      ) : null}
      <p className="muted">Or walk each role of the demo data:</p>
      <ul>
        {roles.map(({ role, address }) => (
          <li key={role}>
            <button type="button" className="button button-secondary" disabled={disabled} title={address} onClick={() => void onRole(role)}>
              Sign in as {DEMO_ROLE_LABEL[role]}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
});

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
            {c.id === "injected" ? "Browser wallet" : c.name}
          </button>
        </li>
      ))}
    </ul>
  );
});
