"use client";

import { useSyncExternalStore } from "react";

/**
 * The browser's view of the session: one fetch of /api/auth/session shared by every component,
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

export async function refreshSession(): Promise<SessionState> {
  try {
    const res = await fetch("/api/auth/session", { cache: "no-store", credentials: "same-origin" });
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
