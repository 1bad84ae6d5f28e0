"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";

import { markCalibrationAction } from "@/lib/verification/actions";

type Result = Awaited<ReturnType<typeof markCalibrationAction>> | null;

/** Admin: make this contribution a calibration item with its known verdict and score range. */
export function CalibrationForm({ contributionId }: { contributionId: string }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<Result, FormData>(async (_prev, form) => markCalibrationAction(form), null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const err = (name: string) =>
    errors[name] ? (
      <span className="field-error" role="alert">
        {errors[name]!.join(" ")}
      </span>
    ) : null;
  return (
    <form action={action} className="form" data-testid="calibration-form">
      <p>
        A calibration item passes to the platform account, leaves every public list, and is assigned like any other work; its votes never decide or pay, and score each
        verifier against the answer below (daily).
      </p>
      <input type="hidden" name="contributionId" value={contributionId} />
      <div className="grid">
        <div className="field">
          <label htmlFor="knownVerdict">Known verdict</label>
          <select id="knownVerdict" name="knownVerdict" defaultValue="verified">
            <option value="verified">verified</option>
            <option value="rejected">rejected</option>
          </select>
          {err("knownVerdict")}
        </div>
        <div className="field">
          <label htmlFor="scoreMin">Score from</label>
          <input id="scoreMin" name="scoreMin" type="number" min={0} max={100} required />
          {err("scoreMin")}
        </div>
        <div className="field">
          <label htmlFor="scoreMax">Score to</label>
          <input id="scoreMax" name="scoreMax" type="number" min={0} max={100} required />
          {err("scoreMax")}
        </div>
      </div>
      {state && !state.ok && !Object.keys(errors).length ? (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="button button-secondary" disabled={pending || !!state?.ok}>
        {pending ? "Marking…" : "Mark as calibration item"}
      </button>
    </form>
  );
}
