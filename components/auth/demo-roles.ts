"use client";

import { useCallback, useState } from "react";

import type { DemoRole } from "@/lib/auth/demo-session";

import { announceSessionChange, refreshSession } from "./session-store";

/**
 * Demo mode's role switch, in the browser: POST /api/demo/session signs this browser in as the
 * role's demo account. That session belongs to no wallet here, so the wallet watcher (which ends a
 * session when the connected wallet differs) must leave it alone: the address is remembered.
 */
const WALLETLESS_ITEM = "nwu.walletlessSession";

export const DEMO_ROLE_LABEL: Record<DemoRole, string> = { admin: "demo admin", verifier: "demo verifier", contributor: "demo contributor" };

export async function signInAsDemoRole(role: DemoRole): Promise<void> {
  const res = await fetch("/api/demo/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ role }),
  });
  const body = (await res.json().catch(() => ({}))) as { address?: string; detail?: string };
  if (!res.ok || !body.address) throw new Error(body.detail ?? `Could not sign in as the ${DEMO_ROLE_LABEL[role]} (${res.status})`);
  localStorage.setItem(WALLETLESS_ITEM, body.address.toLowerCase());
  await refreshSession();
  announceSessionChange();
}

/** The role switch's state for a control: pick a role, then `onSignedIn`; pending while it runs, the error if it failed. */
export function useDemoRoleSignIn(onSignedIn: () => void) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pick = useCallback(
    async (role: DemoRole) => {
      setError(null);
      setPending(true);
      try {
        await signInAsDemoRole(role);
        onSignedIn();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setPending(false);
      }
    },
    [onSignedIn],
  );
  return { pick, pending, error };
}

/** Whether the signed-in `address` came from the role switch rather than a wallet. */
export function isWalletlessSession(address: string): boolean {
  return localStorage.getItem(WALLETLESS_ITEM) === address.toLowerCase();
}

/** A wallet signed in: its session is followed again. */
export function forgetWalletlessSession(): void {
  localStorage.removeItem(WALLETLESS_ITEM);
}
