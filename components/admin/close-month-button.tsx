"use client";

import { ActionButton } from "@/components/action-button";
import { closeRevenuePeriodAction } from "@/lib/revenue/actions";

const closedText = ({ rewards, closedNow }: { rewards: number; closedNow: boolean }) =>
  closedNow ? `Closed: ${rewards} revenue-share reward${rewards === 1 ? "" : "s"} created, paid with the next payout batch.` : "That month was closed already.";

export function CloseMonthButton({ period, label }: { period: string; label: string }) {
  return (
    <div className="toolbar">
      <ActionButton action={() => closeRevenuePeriodAction({ period })} onSuccess={closedText} className="button button-primary" pendingLabel="Closing…" messageTestId="revenue-share-message">
        Close {label} now
      </ActionButton>
    </div>
  );
}
