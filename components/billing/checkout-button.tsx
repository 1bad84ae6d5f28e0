"use client";

import { memo, useState, useTransition } from "react";

import { openPortalAction, startCheckoutAction } from "@/app/billing/actions";

/** Starts Stripe Checkout for a plan (or opens the portal), then follows the URL Stripe returned. */
export const CheckoutButton = memo(function CheckoutButton({ plan, label, portal = false }: { plan?: "pro" | "enterprise"; label: string; portal?: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const go = () =>
    startTransition(async () => {
      setError(null);
      const result = portal ? await openPortalAction({}) : await startCheckoutAction({ plan: plan! });
      if (result.ok) window.location.assign(result.data.url);
      else setError(result.status === 401 ? "Connect your wallet to subscribe." : result.error);
    });
  return (
    <div>
      <button type="button" className="button button-primary" onClick={go} disabled={pending}>
        {pending ? "Redirecting…" : label}
      </button>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </div>
  );
});
