"use client";


import { ActionButton } from "@/components/action-button";
import { payPendingRewardsAction, retryPayoutBatchAction } from "@/lib/rewards/actions";

const queuedText = ({ rewardCount, totalAmount }: { rewardCount: number; totalAmount: string }) =>
  `Batch of ${rewardCount} reward${rewardCount === 1 ? "" : "s"} (${Number(totalAmount).toLocaleString("en-US", { maximumFractionDigits: 18 })} NWU) queued for payment.`;

export function PayRewardsButton({ disabled }: { disabled: boolean }) {
  return (
    <div className="toolbar">
      <ActionButton action={() => payPendingRewardsAction({})} onSuccess={queuedText} className="button button-primary" disabled={disabled} pendingLabel="Creating batch…" messageTestId="payout-message">
        Pay pending rewards
      </ActionButton>
    </div>
  );
}

export function RetryBatchButton({ id }: { id: string }) {
  return (
    <ActionButton action={() => retryPayoutBatchAction({ id })} doneLabel="Queued">
      Retry
    </ActionButton>
  );
}
