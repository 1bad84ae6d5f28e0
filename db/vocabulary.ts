/**
 * The data model's named values and their groups, defined once. Pure constants (no imports): the
 * schema, server code and client components all read them from here.
 */

export const CONTRIBUTION_STATUSES = ["pending", "verifying", "verified", "rejected", "halted", "paused", "appealed"] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

/** Still being verified: votes are taken, assignments are handed out (an appeal is a second round, decided by its panel alone). */
export const OPEN_STATUSES = ["pending", "verifying", "appealed"] as const satisfies readonly ContributionStatus[];
/** Under appeal: a fresh panel's sealed second round (lib/verification/appeals.ts). */
export const APPEALED_STATUS = "appealed" satisfies ContributionStatus;
/** Held by moderation: no votes; resume restores what the hold interrupted. */
export const HELD_STATUSES = ["halted", "paused"] as const satisfies readonly ContributionStatus[];
/** Halted content is withheld from the public (served to its owner and admins only). */
export const WITHHELD_STATUS = "halted" satisfies ContributionStatus;
/** Decided by consensus. */
export const DECIDED_STATUSES = ["verified", "rejected"] as const satisfies readonly ContributionStatus[];

const member =
  <T extends string>(group: readonly T[]) =>
  (status: string): status is T =>
    (group as readonly string[]).includes(status);
export const isOpen = member(OPEN_STATUSES);
export const isHeld = member(HELD_STATUSES);
export const isDecided = member(DECIDED_STATUSES);

/** A review handed to a verifier: live until voted, skipped or expired (an expired one is back in the pool). */
export const ASSIGNMENT_STATUSES = ["live", "voted", "skipped", "expired"] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * A collusion signal (lib/verification/conflicts.ts): two people who each gave the other's decided
 * work at least COLLUSION_MIN_EACH_WAY revealed votes of COLLUSION_HIGH_VOTE or more are linked,
 * and never assigned each other's work.
 */
export const COLLUSION_HIGH_VOTE = 80;
export const COLLUSION_MIN_EACH_WAY = 2;

/** What became of an appeal: open until its panel decides; the first verdict overturned or upheld. */
export const APPEAL_STATUSES = ["open", "overturned", "upheld"] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** The known verdict of a calibration item (lib/verification/calibration.ts). */
export const CALIBRATION_VERDICTS = ["verified", "rejected"] as const satisfies readonly ContributionStatus[];

/**
 * What a reward pays for: a verified contribution (one per contribution), or its share of a month's
 * API revenue (one per contribution and period, lib/revenue).
 */
export const REWARD_KINDS = ["verification", "revenue_share"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];
export const VERIFICATION_KIND = "verification" satisfies RewardKind;
export const REVENUE_SHARE_KIND = "revenue_share" satisfies RewardKind;

export const FILE_TYPES = ["code", "dataset", "document"] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** `'a', 'b'`: a group as SQL literals, for statements written as text (the values are the constants above, never input). */
export const sqlLiterals = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(", ");

/**
 * A resumable (tus) upload: receiving bytes until its last one, then done once imported (its row
 * then names the contribution). Only receiving uploads count against the per-user limits.
 */
export const UPLOAD_STATUSES = ["receiving", "done"] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];
export const UNFINISHED_UPLOAD_STATUS = "receiving" satisfies UploadStatus;

/** Limits of a contribution's text fields: the server's upload schema and the upload page's checks both read them. */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const METADATA_MAX_BYTES = 10 * 1024;

/**
 * What happened, as told to webhook endpoints (Standard Webhooks `type`) and to people (the inbox):
 * one name per kind of change, recorded in the transaction that makes it (lib/outbox).
 */
export const WEBHOOK_EVENT_TYPES = [
  "contribution.created",
  "contribution.decided",
  "contribution.appealed",
  "appeal.decided",
  "vote.revealed",
  "reward.created",
  "reward.distributed",
  "payout.failed",
  "subscription.updated",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Events for people only (never sent to an endpoint): an appeal panel's new member, an endpoint switched off. */
export const INTERNAL_EVENT_TYPES = ["appeal.panel_assigned", "webhook.disabled"] as const;
export const EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, ...INTERNAL_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An endpoint is active or switched off (by its owner, or after WEBHOOK_DISABLE_AFTER_HOURS of failures). "paused" is not stored: it is a free plan's endpoint. */
/** A webhook URL's length, at most. */
export const WEBHOOK_URL_MAX = 2048;

export const WEBHOOK_ENDPOINT_STATUSES = ["active", "disabled"] as const;
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number];
/** pending: to send (again at next_attempt_at); expired: not delivered within the outbox's retention. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed", "expired"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
