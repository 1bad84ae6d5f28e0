"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { memo, useCallback, useEffect, useRef, useState } from "react";

import { signOut } from "./session-store";

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The signed-in wallet's short address, opening a menu: dashboard, admin (admins), sign out. */
export const AccountMenu = memo(function AccountMenu({ address, roles }: { address: string; roles: string[] }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const onSignOut = useCallback(async () => {
    setOpen(false);
    await signOut();
    router.refresh();
  }, [router]);

  return (
    <div className="account" ref={ref}>
      <button
        type="button"
        className="button button-secondary mono"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={address}
        data-testid="account-button"
      >
        {shortAddress(address)}
      </button>
      {open ? (
        <div className="account-menu" role="menu" aria-label="Account">
          <Link role="menuitem" href="/dashboard" onClick={() => setOpen(false)}>
            Dashboard
          </Link>
          <Link role="menuitem" href="/wallet" onClick={() => setOpen(false)}>
            Wallet
          </Link>
          <Link role="menuitem" href="/billing" onClick={() => setOpen(false)}>
            Billing
          </Link>
          <Link role="menuitem" href="/settings/api-keys" onClick={() => setOpen(false)}>
            API keys
          </Link>
          {roles.includes("admin") ? (
            <Link role="menuitem" href="/admin" onClick={() => setOpen(false)}>
              Admin
            </Link>
          ) : null}
          <button type="button" role="menuitem" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
});
