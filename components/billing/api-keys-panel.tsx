"use client";

import { useActionState } from "react";

import { ActionButton } from "@/components/action-button";
import { ShownOnce } from "@/components/shown-once";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/api-keys/actions";

type CreateResult = Awaited<ReturnType<typeof createApiKeyAction>> | null;

/** `scopes`: the ones this user may hold (verifications:write only for verifier and agent accounts). */
export function CreateApiKeyForm({ scopes }: { scopes: readonly string[] }) {
  const [state, action, pending] = useActionState<CreateResult, FormData>(async (_prev, form) => createApiKeyAction(form), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="card form" aria-labelledby="new-key-title" data-testid="create-key-form">
      <h2 id="new-key-title">New API key</h2>
      <div className="field">
        <label htmlFor="key-name">Name</label>
        <input id="key-name" name="name" required maxLength={100} aria-invalid={!!errors.name} />
        {errors.name ? <span className="field-error">{errors.name.join(" ")}</span> : null}
      </div>
      <fieldset className="field">
        <legend>Scopes</legend>
        {scopes.map((s) => (
          <label key={s}>
            <input type="checkbox" name="scopes" value={s} defaultChecked={s.endsWith(":read")} /> <code>{s}</code>
          </label>
        ))}
        {errors.scopes ? <span className="field-error">{errors.scopes.join(" ")}</span> : null}
      </fieldset>
      <div className="field">
        <label htmlFor="key-expiry">Expires after (days, optional)</label>
        <input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} />
      </div>
      <button type="submit" className="button button-primary" disabled={pending}>
        Create key
      </button>
      {state && !state.ok && !state.fieldErrors ? (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? <ShownOnce value={state.data.key} what="key" testId="new-key" /> : null}
    </form>
  );
}

export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  return (
    <ActionButton action={() => revokeApiKeyAction({ id })} doneLabel="Revoked" aria-label={`Revoke ${name}`}>
      Revoke
    </ActionButton>
  );
}
