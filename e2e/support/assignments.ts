import type { APIRequestContext } from "@playwright/test";

import { builtActions, callAction } from "./actions";

const HELD = /data-assignment="([0-9a-f-]{36})" data-contribution="([0-9a-f-]{36})"/g;

/**
 * Reviews are assigned at random: a verifier reaches a given contribution the way a person would,
 * by taking assignments and skipping the others (skipped work is never offered to them again).
 * Throws when the contribution is not offered (not open, theirs, or no longer short of reviewers).
 */
export async function claimAssignmentOf(api: APIRequestContext, baseURL: string, contributionId: string): Promise<void> {
  const actions = builtActions();
  const claim = actions.get("ACTION lib/verification/actions.ts#claimAssignmentAction")!;
  const skip = actions.get("ACTION lib/verification/actions.ts#skipAssignmentAction")!;
  const held = async () => [...(await (await api.get("/verify")).text()).matchAll(HELD)].map((m) => ({ id: m[1]!, contributionId: m[2]! }));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const mine = await held();
    if (mine.some((a) => a.contributionId === contributionId)) return;
    const result = await callAction<{ assignment: { id: string; contributionId: string } | null; full: boolean }>(api, baseURL, claim, [{}]);
    if (!result.ok) throw new Error(`claiming an assignment: ${result.status} ${result.error}`);
    const { assignment, full } = result.data!;
    if (assignment?.contributionId === contributionId) return;
    const toSkip = full ? mine : assignment ? [assignment] : [];
    if (toSkip.length === 0) throw new Error(`contribution ${contributionId} was not offered to this verifier`);
    for (const a of toSkip) {
      const skipped = await callAction(api, baseURL, skip, [{ assignmentId: a.id }]);
      if (!skipped.ok) throw new Error(`skipping an assignment: ${skipped.status} ${skipped.error}`);
    }
  }
  throw new Error(`contribution ${contributionId} was not offered within 1000 draws`);
}
