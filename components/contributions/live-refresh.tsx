"use client";


import { useContributionEvents } from "./use-contribution-events";

/** Re-renders the page it sits on whenever the contribution changes (see useContributionEvents); renders nothing. */
export function LiveRefresh({ id, status, verificationCount, at }: { id: string; status: string; verificationCount: number; at: string }) {
  useContributionEvents(id, { status, verificationCount, at });
  return null;
}
