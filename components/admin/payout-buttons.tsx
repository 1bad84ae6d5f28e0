"use client";

import { memo, useState, useTransition } from "react";

import { payPendingRewardsAction, retryPayoutBatchAction } from "@/app/admin/actions";

export const PayRewardsButton = memo(function PayRewardsButton({ disabled }: { disabled: boolean }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="toolbar">
      <button
        type="button"
        className="button button-primary"
        disabled={disabled || pending}
        onClick={() =>
          startTransition(async () => {
            const result = await payPendingRewardsAction({});
            setMessage(
              result.ok
                ? { ok: true, text: `Batch of ${result.data.rewardCount} reward${result.data.rewardCount === 1 ? "" : "s"} (${Number(result.data.totalAmount).toLocaleString("en-US", { maximumFractionDigits: 18 })} NWU) queued for payment.` }
                : { ok: false, text: result.error },
            );
          })
        }
      >
        {pending ? "Creating batch…" : "Pay pending rewards"}
      </button>
      {message ? (
        <p role={message.ok ? "status" : "alert"} data-testid="payout-message" className={message.ok ? "" : "field-error"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
});

export const RetryBatchButton = memo(function RetryBatchButton({ id }: { id: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        disabled={pending || done}
        onClick={() =>
          startTransition(async () => {
            const result = await retryPayoutBatchAction({ id });
            if (result.ok) setDone(true);
            else setError(result.error);
          })
        }
      >
        {done ? "Queued" : "Retry"}
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </>
  );
});
