"use client";

import { useRouter } from "next/navigation";
import { useCallback, useRef, useState, type KeyboardEvent } from "react";
import { flushSync } from "react-dom";

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
export function ModerationPanel({ contributionId, status }: { contributionId: string; status: string }) {
  const session = useSession();
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  // Stable, so typing the reason (a re-render) does not pull focus back to the confirmation.
  const haltButton = useRef<HTMLButtonElement>(null);
  const focusConfirm = useCallback((el: HTMLDivElement | null) => el?.querySelector<HTMLButtonElement>("button")?.focus(), []);
  if (session.status !== "signed-in" || !session.roles.includes("admin")) return null;

  const button = (action: keyof typeof ACTIONS, label: string = LABELS[action], className?: string) => (
    <ActionButton
      action={() => ACTIONS[action]({ contributionId, reason })}
      onSuccess={() => {
        setReason("");
        setConfirming(false);
        router.refresh();
      }}
      errorText={reasonError}
      className={className}
    >
      {label}
    </ActionButton>
  );
  // Focus returns to the Halt button, not to the top of the page the removed confirmation would leave it at.
  const cancel = () => {
    flushSync(() => setConfirming(false));
    haltButton.current?.focus();
  };
  const cancelOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape") cancel();
  };

  const held = status === "halted" || status === "paused";
  return (
    <section className="card" aria-labelledby="moderation-title" data-testid="moderation">
      <h2 id="moderation-title">Moderation</h2>
      <div className="field">
        <label htmlFor="moderation-reason">Reason (recorded in the audit log)</label>
        <input id="moderation-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
      </div>
      {held ? (
        <div className="toolbar">{button("resume")}</div>
      ) : confirming ? (
        // Halting is the destructive one (it withholds the work from everyone but its owner and admins), so it takes a second, explicit click.
        <div className="confirm-danger" role="group" aria-labelledby="halt-warning" ref={focusConfirm} onKeyDown={cancelOnEscape} data-testid="halt-confirmation">
          <p id="halt-warning">Halt this contribution? It is withdrawn from everyone but its owner and admins, and its verification stops, until an admin resumes it.</p>
          <div className="toolbar">
            {button("halt", "Confirm halt", "button button-danger")}
            <button type="button" className="button button-secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="toolbar">
          {isOpen(status) ? button("pause") : null}
          <button ref={haltButton} type="button" className="button button-danger-outline" onClick={() => setConfirming(true)}>
            Halt…
          </button>
        </div>
      )}
    </section>
  );
}
