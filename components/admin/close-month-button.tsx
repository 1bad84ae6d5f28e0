"use client";

import { ActionButton } from "@/components/action-button";
import { closeRevenuePeriodAction } from "@/lib/revenue/actions";

const closedText = ({ rewards, closedNow }: { rewards: number; closedNow: boolean }) =>
  closedNow ? `Closed: ${rewards} revenue-share reward${rewards === 1 ? "" : "s"} created, paid with the next payout batch.` : "That month was closed already.";

/**
 * Always rendered (disabled while no month is over and open), so its confirmation stays on screen
 * after the close refreshes the page and there is nothing left to close.
 */
export function CloseMonthButton({ period, label }: { period: string | null; label: string }) {
  return (
    <div className="toolbar">
      <ActionButton
        action={() => closeRevenuePeriodAction({ period: period ?? "" })}
        onSuccess={closedText}
        className="button button-primary"
        disabled={!period}
        pendingLabel="Closing…"
        messageTestId="revenue-share-message"
      >
        {period ? `Close ${label} now` : `${label} closes after it ends`}
      </ActionButton>
    </div>
  );
}
