"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";

import { useSession } from "@/components/auth/session-store";
import { formatDateTime } from "@/lib/format";
import { appealContributionAction } from "@/lib/verification/actions";

type Result = Awaited<ReturnType<typeof appealContributionAction>> | null;

/** The owner's appeal of a rejection (shown to the owner only; the server checks ownership regardless). */
export function AppealForm({ contributionId, owner, until, maxLength }: { contributionId: string; owner: string; until: string; maxLength: number }) {
  const session = useSession();
  const router = useRouter();
  const [state, action, pending] = useActionState<Result, FormData>(async (_prev, form) => appealContributionAction(form), null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  if (session.status !== "signed-in" || session.address.toLowerCase() !== owner.toLowerCase()) return null;
  const error = state && !state.ok ? (state.fieldErrors?.statement?.join(" ") ?? state.error) : null;
  return (
    <form action={action} className="form card" aria-labelledby="appeal-form-title" data-testid="appeal-form">
      <h3 id="appeal-form-title">Appeal this rejection</h3>
      <p>
        A fresh panel of verifiers who did not vote on it reviews it again, sealed; their votes alone decide. You can appeal once, until{" "}
        {formatDateTime(until)}.
      </p>
      <input type="hidden" name="contributionId" value={contributionId} />
      <div className="field">
        <label htmlFor="appeal-statement">Why the rejection is wrong</label>
        <textarea id="appeal-statement" name="statement" rows={5} required maxLength={maxLength} aria-invalid={!!error} aria-describedby={error ? "appeal-error" : undefined} />
      </div>
      {error ? (
        <p role="alert" className="error-text" id="appeal-error" data-testid="appeal-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending || !!state?.ok}>
        {pending ? "Submitting…" : "Submit appeal"}
      </button>
    </form>
  );
}
