"use client";


import { ActionButton, type ActionFailure } from "@/components/action-button";
import { openPortalAction, startCheckoutAction } from "@/lib/payments/actions";

const checkoutError = (failure: ActionFailure) => (failure.status === 401 ? "Connect your wallet to subscribe." : failure.error);
const follow = ({ url }: { url: string }) => window.location.assign(url);

/** Starts Stripe Checkout for a plan (or opens the portal), then follows the URL Stripe returned. */
export function CheckoutButton({ plan, label, portal = false }: { plan?: "pro" | "enterprise"; label: string; portal?: boolean }) {
  return (
    <div>
      <ActionButton action={() => (portal ? openPortalAction({}) : startCheckoutAction({ plan: plan! }))} onSuccess={follow} errorText={checkoutError} className="button button-primary" pendingLabel="Redirecting…">
        {label}
      </ActionButton>
    </div>
  );
}
