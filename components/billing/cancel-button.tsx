"use client";

import { memo, useState, useTransition } from "react";

import { cancelSubscriptionAction } from "@/app/billing/actions";

export const CancelButton = memo(function CancelButton({ subscriptionId }: { subscriptionId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        className="button button-secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await cancelSubscriptionAction({ subscriptionId });
            setError(r.ok ? null : r.error);
          })
        }
      >
        Cancel at period end
      </button>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </div>
  );
});
