"use client";

import { useActionState } from "react";

import { castVoteAction } from "@/lib/verification/actions";

type Result = Awaited<ReturnType<typeof castVoteAction>> | null;

export function VoteForm({ contributionId, subScores }: { contributionId: string; subScores: string[] }) {
  const [state, action, pending] = useActionState<Result, FormData>(async (_prev, form) => castVoteAction(form), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  const err = (name: string) =>
    errors[name] ? (
      <span className="field-error" role="alert" id={`${name}-error`}>
        {errors[name]!.join(" ")}
      </span>
    ) : null;

  return (
    <form action={action} className="form card" aria-labelledby="vote-title" data-testid="vote-form">
      <h2 id="vote-title">Your vote</h2>
      <input type="hidden" name="contributionId" value={contributionId} />
      <div className="field">
        <label htmlFor="voteScore">Overall score (0–100)</label>
        <input id="voteScore" name="voteScore" type="number" min={0} max={100} required aria-invalid={!!errors.voteScore} />
        {err("voteScore")}
      </div>
      <div className="grid">
        {subScores.map((s) => (
          <div className="field" key={s}>
            <label htmlFor={s}>{s[0]!.toUpperCase() + s.slice(1)}</label>
            <input id={s} name={s} type="number" min={0} max={100} aria-invalid={!!errors[s]} />
            {err(s)}
          </div>
        ))}
      </div>
      <div className="field">
        <label htmlFor="reasoning">Reasoning</label>
        <textarea id="reasoning" name="reasoning" rows={4} required minLength={10} maxLength={5000} aria-invalid={!!errors.reasoning} />
        {err("reasoning")}
      </div>
      {state && !state.ok ? (
        <p role="alert" className="error-text" data-testid="vote-error">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Submitting…" : "Submit vote"}
      </button>
    </form>
  );
}
