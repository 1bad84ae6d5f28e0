"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";

import { NotificationBell } from "@/components/notifications/bell";
import type { WalletOptions } from "@/lib/auth/wallet-options";

import { AccountMenu } from "./account-menu";
import { isWalletlessSession } from "./demo-roles";
import { useSession } from "./session-store";

// Wallet code (wagmi, viem, react-query) loads only when someone connects, or watches a signed-in wallet.
const WalletDialog = dynamic(() => import("@/components/wallet/wallet-dialog"), { ssr: false });
const WalletWatcher = dynamic(() => import("@/components/wallet/wallet-watcher"), { ssr: false });

export function AccountControlClient({ options: given }: { options: WalletOptions }) {
  // Kept from the first render, as the wagmi config made from them is: each refresh's copy is equal
  // but new, and would restart the wallet watcher for nothing.
  const [options] = useState(given);
  const session = useSession();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const onSignedIn = useCallback(() => {
    setOpen(false);
    router.refresh();
  }, [router]);

  if (session.status === "loading") return <span className="placeholder account" aria-hidden="true" />;
  if (session.status === "signed-in") {
    return (
      <>
        <NotificationBell />
        <AccountMenu address={session.address} roles={session.roles} demoRoles={options.demo?.roles ?? null} />
        {/* A demo role's session belongs to no wallet: nothing to follow. */}
        {isWalletlessSession(session.address) ? null : <WalletWatcher address={session.address} chainId={session.chainId} options={options} />}
      </>
    );
  }
  return (
    <div className="account">
      <button type="button" className="button button-primary" onClick={() => setOpen(true)} data-testid="connect-wallet">
        Connect wallet
      </button>
      {open ? <WalletDialog options={options} onClose={close} onSignedIn={onSignedIn} /> : null}
    </div>
  );
}
