"use client";

import { useActionState } from "react";

import { createPaymentAction } from "@/lib/payments/actions";

type Result = Awaited<ReturnType<typeof createPaymentAction>> | null;

/**
 * A one-time payment: the server creates the PaymentIntent (amount validated there) and records it
 * as pending; Stripe's webhook settles it. Confirming the card happens in Stripe's own UI.
 */
export function BuyCredits() {
  const [state, action, pending] = useActionState<Result, FormData>(async (_prev, form) => createPaymentAction(form), null);
  return (
    <form action={action} className="card form" aria-labelledby="credits-title">
      <h2 id="credits-title">One-time payment</h2>
      <div className="field">
        <label htmlFor="credits-amount">Amount (USD cents, 100–1,000,000)</label>
        <input id="credits-amount" name="amountCents" type="number" min={100} max={1_000_000} defaultValue={1000} />
      </div>
      <input type="hidden" name="description" value="API credits" />
      <button type="submit" className="button button-secondary" disabled={pending}>
        Start payment
      </button>
      {state?.ok ? (
        <p role="status">
          Payment {state.data.paymentIntentId} created; it shows as pending below until Stripe confirms it.
        </p>
      ) : state ? (
        <p role="alert" className="error-text">
          {state.fieldErrors?.amountCents?.join(" ") ?? state.error}
        </p>
      ) : null}
    </form>
  );
}
