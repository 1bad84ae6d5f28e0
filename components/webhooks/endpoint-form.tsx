"use client";

import { useActionState } from "react";

import { ShownOnce } from "@/components/shown-once";
import { WEBHOOK_EVENT_TYPES } from "@/db/vocabulary";
import { createWebhookAction } from "@/lib/webhooks/actions";

import { EVENT_LABELS } from "./event-labels";

type CreateResult = Awaited<ReturnType<typeof createWebhookAction>> | null;

/** Register an endpoint: URL, the events it takes, platform-wide for admins; the secret is shown once. */
export function WebhookEndpointForm({ admin }: { admin: boolean }) {
  const [state, action, pending] = useActionState<CreateResult, FormData>(async (_prev, form) => createWebhookAction(form), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="card form" aria-labelledby="new-webhook-title" data-testid="webhook-form">
      <h2 id="new-webhook-title">New endpoint</h2>
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <input id="webhook-url" name="url" type="url" required placeholder="https://example.com/webhooks/nwu" aria-invalid={!!errors.url} aria-describedby="webhook-url-help" />
        <span id="webhook-url-help" className="muted">
          Deliveries are POSTed here, signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).
        </span>
        {errors.url ? <span className="field-error">{errors.url.join(" ")}</span> : null}
      </div>
      <fieldset className="field">
        <legend>Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input type="checkbox" name="events" value={type} defaultChecked={type.startsWith("contribution.")} /> <code>{type}</code>{" "}
            <span className="muted">{EVENT_LABELS[type]}</span>
          </label>
        ))}
        {errors.events ? <span className="field-error">{errors.events.join(" ")}</span> : null}
      </fieldset>
      {admin ? (
        <label>
          <input type="checkbox" name="platform" /> Platform-wide: every user&apos;s events, not only your own
        </label>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        Add endpoint
      </button>
      {state && !state.ok && !state.fieldErrors ? (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? <WebhookSecret secret={state.data.secret} /> : null}
    </form>
  );
}


/** A signing secret, shown this once. */
export const WebhookSecret = ({ secret }: { secret: string }) => <ShownOnce value={secret} what="signing secret" testId="webhook-secret" />;
