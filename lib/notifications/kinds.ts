import type { EventType } from "@/db/vocabulary";

/**
 * What a person is told about, one kind per event that concerns them (issue 19 §2). Each kind has an
 * in-app and an e-mail switch (lib/notifications/preferences.ts); everything else in the outbox —
 * votes revealed, uploads, subscriptions — stays out of the inbox.
 */
export const NOTIFICATION_KINDS = ["contribution_decided", "appeal_decided", "appeal_panel", "reward_paid", "reward_failed", "endpoint_disabled"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ["in_app", "email"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The event each kind is made from. */
export const KIND_OF_EVENT: Partial<Record<EventType, NotificationKind>> = {
  "contribution.decided": "contribution_decided",
  "appeal.decided": "appeal_decided",
  "appeal.panel_assigned": "appeal_panel",
  "reward.distributed": "reward_paid",
  "payout.failed": "reward_failed",
  "webhook.disabled": "endpoint_disabled",
};

/** How each kind is named on the settings page and in mails. */
export const KIND_LABELS: Record<NotificationKind, string> = {
  contribution_decided: "Your contribution was decided (with the reasons)",
  appeal_decided: "The outcome of your appeal",
  appeal_panel: "An appeal panel needs you (verifiers)",
  reward_paid: "A reward was paid",
  reward_failed: "A reward payout failed",
  endpoint_disabled: "A webhook endpoint of yours was disabled",
};
