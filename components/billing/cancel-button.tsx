"use client";


import { ActionButton } from "@/components/action-button";
import { cancelSubscriptionAction } from "@/lib/payments/actions";

export function CancelButton({ subscriptionId }: { subscriptionId: string }) {
  return (
    <div>
      <ActionButton action={() => cancelSubscriptionAction({ subscriptionId })}>Cancel at period end</ActionButton>
    </div>
  );
}
