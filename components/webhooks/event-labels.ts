import type { WebhookEventType } from "@/db/vocabulary";

/** What each event says, in words, for the settings form. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "contribution.created": "one of your contributions was uploaded",
  "contribution.decided": "verified or rejected, with its score",
  "contribution.appealed": "a rejection was appealed",
  "appeal.decided": "an appeal was overturned or upheld",
  "vote.revealed": "a vote on it (or by you) was revealed at the decision",
  "reward.created": "a reward was earned",
  "reward.distributed": "a reward was paid on chain, with the transaction",
  "payout.failed": "a payout failed",
  "subscription.updated": "your plan changed",
};
