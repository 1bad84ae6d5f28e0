"use client";

import { useRouter } from "next/navigation";
import { memo, useState, useTransition } from "react";

import { haltContributionAction, pauseContributionAction, resumeContributionAction } from "@/app/contributions/[id]/actions";
import { useSession } from "@/components/auth/session-store";

const ACTIONS = { halt: haltContributionAction, pause: pauseContributionAction, resume: resumeContributionAction } as const;

/**
 * Admins halt, pause and resume here. Shown from the browser's session (the page itself stays at
 * three statements); the actions check the admin role on the server regardless.
 */
export const ModerationPanel = memo(function ModerationPanel({ contributionId, status }: { contributionId: string; status: string }) {
  const session = useSession();
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (session.status !== "signed-in" || !session.roles.includes("admin")) return null;

  const run = (action: keyof typeof ACTIONS) =>
    startTransition(async () => {
      setError(null);
      const result = await ACTIONS[action]({ contributionId, reason });
      if (result.ok) {
        setReason("");
        router.refresh();
      } else setError(result.fieldErrors?.reason?.join(" ") ?? result.error);
    });

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
          <button type="button" className="button button-secondary" disabled={pending} onClick={() => run("resume")}>
            Resume
          </button>
        ) : (
          <>
            {status === "pending" || status === "verifying" ? (
              <button type="button" className="button button-secondary" disabled={pending} onClick={() => run("pause")}>
                Pause
              </button>
            ) : null}
            <button type="button" className="button button-secondary" disabled={pending} onClick={() => run("halt")}>
              Halt
            </button>
          </>
        )}
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </section>
  );
});
