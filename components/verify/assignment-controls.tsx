"use client";

import { useRouter } from "next/navigation";

import { ActionButton } from "@/components/action-button";
import { claimAssignmentAction, skipAssignmentAction } from "@/lib/verification/actions";

/** "Take the next assignment": opens the review it drew, or says why there is none. */
export function ClaimButton() {
  const router = useRouter();
  return (
    <ActionButton
      action={() => claimAssignmentAction({})}
      className="button button-primary"
      pendingLabel="Drawing…"
      messageTestId="claim-message"
      onSuccess={(result) => {
        if (result.assignment) {
          router.push(`/verify/${result.assignment.contributionId}`);
          return;
        }
        return result.full ? "You hold the most assignments allowed: vote on or skip one first." : "Nothing needs a reviewer right now. New uploads are assigned as they arrive.";
      }}
    >
      Take the next assignment
    </ActionButton>
  );
}

/** Gives one assignment back to the pool. */
export function SkipButton({ assignmentId, title }: { assignmentId: string; title: string }) {
  const router = useRouter();
  return (
    <ActionButton action={() => skipAssignmentAction({ assignmentId })} aria-label={`Skip ${title}`} pendingLabel="Skipping…" onSuccess={() => router.refresh()}>
      Skip
    </ActionButton>
  );
}
