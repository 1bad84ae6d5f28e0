"use client";

import { useSyncExternalStore } from "react";

import { SIGNED_IN_FLAG } from "@/lib/auth/signed-in-flag";

/**
 * The browser's view of the session: one fetch of /api/auth/session shared by every component —
 * none at all without the signed-in flag cookie (lib/auth/signed-in-flag.ts): no session to ask about —
 * kept in step across tabs with a BroadcastChannel (sign-in or sign-out in one tab updates all)
 * and re-checked when a tab becomes visible again. No wallet code is needed to read it.
 */
export type SessionState =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "signed-in"; address: string; roles: string[]; chainId: number };

const LOADING: SessionState = { status: "loading" };
const SIGNED_OUT: SessionState = { status: "signed-out" };

let state: SessionState = LOADING;
const listeners = new Set<() => void>();
let channel: BroadcastChannel | undefined;
let started = false;

function emit(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

const FLAG_PAIR = new RegExp(`(?:^|;\\s*)${SIGNED_IN_FLAG}=1(?:;|$)`);

export async function refreshSession(): Promise<SessionState> {
  if (!FLAG_PAIR.test(document.cookie)) {
    emit(SIGNED_OUT);
    return state;
  }
  try {
    const res = await fetch("/api/auth/session", { cache: "no-store", credentials: "same-origin" });
    // A session that ended server-side (expired, revoked): forget the flag, so the next pages ask no more.
    if (res.status === 401) document.cookie = `${SIGNED_IN_FLAG}=; Max-Age=0; Path=/; SameSite=Lax`;
    emit(res.ok ? { status: "signed-in", ...((await res.json()) as { address: string; roles: string[]; chainId: number }) } : SIGNED_OUT);
  } catch {
    // Offline: keep what we had rather than flashing a signed-out header.
  }
  return state;
}

function start() {
  if (started) return;
  started = true;
  if ("BroadcastChannel" in window) {
    channel = new BroadcastChannel("nwu-auth");
    channel.onmessage = () => void refreshSession();
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void refreshSession();
  });
  void refreshSession();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  start();
  return () => listeners.delete(listener);
}

/** Tell the other tabs that the session changed. */
export function announceSessionChange() {
  channel?.postMessage("changed");
}

export async function signOut(): Promise<void> {
  await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => {});
  emit(SIGNED_OUT);
  announceSessionChange();
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state, () => LOADING);
}
