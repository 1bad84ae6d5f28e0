"use client";

import { useState } from "react";

import { ActionButton } from "@/components/action-button";
import { deleteWebhookAction, enableWebhookAction, resendDeliveryAction, rotateWebhookAction } from "@/lib/webhooks/actions";

import { WebhookSecret } from "./endpoint-form";

/** An endpoint's buttons: rotate the secret (shown once), switch back on when disabled, delete. */
export function WebhookEndpointActions({ id, url, disabled }: { id: string; url: string; disabled: boolean }) {
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className="button-row">
      <ActionButton action={() => rotateWebhookAction({ id })} onSuccess={(d) => void setSecret(d.secret)} aria-label={`Rotate secret of ${url}`}>
        Rotate secret
      </ActionButton>
      {disabled ? (
        <ActionButton action={() => enableWebhookAction({ id })} doneLabel="Enabled" aria-label={`Enable ${url}`}>
          Enable
        </ActionButton>
      ) : null}
      <ActionButton action={() => deleteWebhookAction({ id })} doneLabel="Deleted" aria-label={`Delete ${url}`}>
        Delete
      </ActionButton>
      {secret ? <WebhookSecret secret={secret} /> : null}
    </div>
  );
}

export function ResendButton({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  return (
    <ActionButton action={() => resendDeliveryAction({ endpointId, deliveryId })} doneLabel="Queued" onSuccess={() => "Sending again"}>
      Send again
    </ActionButton>
  );
}
