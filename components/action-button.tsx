"use client";

import { useState, useTransition, type ReactNode } from "react";

import type { ActionResult } from "@/lib/actions/validated-action";

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

export interface ActionButtonProps<T> {
  /** Calls the server action (it checks the session and role itself). */
  action: () => Promise<ActionResult<T>>;
  /** The label while idle. */
  children: ReactNode;
  pendingLabel?: ReactNode;
  /** One-shot actions (re-queue, revoke): after a success the button stays disabled with this label. */
  doneLabel?: ReactNode;
  /** Runs after a success; a returned text is announced (role=status) beside the button. */
  onSuccess?: (data: T) => string | void;
  /** What a failure says (default: the server's own error, never swallowed). */
  errorText?: (failure: ActionFailure) => string;
  disabled?: boolean;
  className?: string;
  "aria-label"?: string;
  /** Test id of the message (success or failure) shown beside the button. */
  messageTestId?: string;
}

/**
 * The one way a button runs a server action: disabled while it runs, the server's error shown
 * beside it (role=alert), success reported to the caller — so no button drops a refusal silently.
 */
export function ActionButton<T>({ action, children, pendingLabel, doneLabel, onSuccess, errorText, disabled = false, className = "button button-secondary", "aria-label": ariaLabel, messageTestId }: ActionButtonProps<T>) {
  const [pending, startTransition] = useTransition();
  const [done, setDone] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const run = () =>
    startTransition(async () => {
      setMessage(null);
      const result = await action();
      if (!result.ok) return setMessage({ ok: false, text: errorText?.(result) ?? result.error });
      if (doneLabel !== undefined) setDone(true);
      const text = onSuccess?.(result.data);
      if (text) setMessage({ ok: true, text });
    });

  return (
    <>
      <button type="button" className={className} disabled={disabled || pending || done} aria-label={ariaLabel} onClick={run}>
        {done ? doneLabel : pending && pendingLabel !== undefined ? pendingLabel : children}
      </button>
      {message ? (
        <span role={message.ok ? "status" : "alert"} className={message.ok ? undefined : "error-text"} data-testid={messageTestId}>
          {message.text}
        </span>
      ) : null}
    </>
  );
}
