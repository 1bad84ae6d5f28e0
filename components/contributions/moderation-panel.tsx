"use client";

import { useRouter } from "next/navigation";
import { memo, useState } from "react";

import { ActionButton, type ActionFailure } from "@/components/action-button";
import { useSession } from "@/components/auth/session-store";
import { isOpen } from "@/db/vocabulary";
import { haltContributionAction, pauseContributionAction, resumeContributionAction } from "@/lib/verification/actions";

const ACTIONS = { halt: haltContributionAction, pause: pauseContributionAction, resume: resumeContributionAction } as const;
const LABELS = { halt: "Halt", pause: "Pause", resume: "Resume" } as const;

const reasonError = (failure: ActionFailure) => failure.fieldErrors?.reason?.join(" ") ?? failure.error;

/**
 * Admins halt, pause and resume here. Shown from the browser's session (the page itself stays at
 * three statements); the actions check the admin role on the server regardless.
 */
export const ModerationPanel = memo(function ModerationPanel({ contributionId, status }: { contributionId: string; status: string }) {
  const session = useSession();
  const router = useRouter();
  const [reason, setReason] = useState("");
  if (session.status !== "signed-in" || !session.roles.includes("admin")) return null;

  const button = (action: keyof typeof ACTIONS) => (
    <ActionButton
      action={() => ACTIONS[action]({ contributionId, reason })}
      onSuccess={() => {
        setReason("");
        router.refresh();
      }}
      errorText={reasonError}
    >
      {LABELS[action]}
    </ActionButton>
  );

  const held = status === "halted" || status === "paused";
  return (
    <section className="card" aria-labelledby="moderation-title" data-testid="moderation">
      <h2 id="moderation-title">Moderation</h2>
      <div className="field">
        <label htmlFor="moderation-reason">Reason (recorded in the audit log)</label>
        <input id="moderation-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
      </div>
      <div className="toolbar">
        {held ? (
          button("resume")
        ) : (
          <>
            {isOpen(status) ? button("pause") : null}
            {button("halt")}
          </>
        )}
      </div>
    </section>
  );
});
