"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { memo, useCallback, useRef, useState } from "react";

import { useDismiss } from "@/components/use-dismiss";
import type { WalletOptions } from "@/lib/auth/wallet-options";

import { useDemoRoleSignIn } from "./demo-roles";
import { signOut } from "./session-store";

type DemoRoles = NonNullable<WalletOptions["demo"]>["roles"];

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The signed-in wallet's short address, opening a menu: dashboard, admin (admins), the demo role switch (demo mode), sign out. */
export const AccountMenu = memo(function AccountMenu({ address, roles, demoRoles }: { address: string; roles: string[]; demoRoles: DemoRoles | null }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const ref = useRef<HTMLDivElement>(null);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, ref, close);

  const onSignOut = useCallback(async () => {
    setOpen(false);
    await signOut();
    router.refresh();
  }, [router]);

  const onSwitchRole = useCallback(() => {
    setOpen(false);
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
          <Link role="menuitem" href="/settings/webhooks" onClick={() => setOpen(false)}>
            Webhooks
          </Link>
          <Link role="menuitem" href="/settings/notifications" onClick={() => setOpen(false)}>
            Notifications
          </Link>
          {roles.includes("admin") ? (
            <Link role="menuitem" href="/admin" onClick={() => setOpen(false)}>
              Admin
            </Link>
          ) : null}
          {demoRoles ? <RoleSwitch address={address} roles={demoRoles} onSwitched={onSwitchRole} /> : null}
          <button type="button" role="menuitem" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
});

/** Demo mode: sign in as another demo role in one click (the current one is checked). */
function RoleSwitch({ address, roles, onSwitched }: { address: string; roles: DemoRoles; onSwitched: () => void }) {
  const { pick, pending, error } = useDemoRoleSignIn(onSwitched);
  return (
    <div role="group" aria-label="Switch role" className="role-switch">
      {/* A menu's children are its items: the visible title is hidden from the tree, the group is labelled. */}
      <span className="muted" aria-hidden="true">
        Switch role
      </span>
      {roles.map(({ role, address: roleAddress }) => {
        const current = roleAddress.toLowerCase() === address.toLowerCase();
        return (
          <button key={role} type="button" role="menuitemradio" aria-checked={current} disabled={pending} onClick={current ? undefined : () => void pick(role)}>
            Demo {role}
          </button>
        );
      })}
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </div>
  );
}
