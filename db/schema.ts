/**
 * The whole NWU Protocol data model. SQL names are snake_case; TypeScript names camelCase.
 *
 * Index policy: every column used to filter, join or sort is the leading part of some index.
 * A single-column index is not added where a compound index already starts with that column
 * (e.g. `contributions(user_id)` is served by `(user_id, status)` and `(user_id, created_at, id)`),
 * because a redundant index costs every write and buys no read. `db/indexes.test.ts` checks
 * coverage from `pg_indexes`, so removing a needed index fails the suite.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

import {
  APPEAL_STATUSES,
  ASSIGNMENT_STATUSES,
  CALIBRATION_VERDICTS,
  COLLUSION_HIGH_VOTE,
  CONTRIBUTION_STATUSES,
  FILE_TYPES,
  OPEN_STATUSES,
  REWARD_KINDS,
  UPLOAD_STATUSES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_ENDPOINT_STATUSES,
  sqlLiterals,
} from "./vocabulary";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => Buffer.from(v),
});
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () => ts("updated_at").notNull().defaultNow();
const id = () => uuid("id").primaryKey().defaultRandom();

export const userRole = pgEnum("user_role", ["contributor", "verifier", "admin", "agent"]);
export const fileType = pgEnum("file_type", FILE_TYPES);
export const contributionStatus = pgEnum("contribution_status", CONTRIBUTION_STATUSES);
export const agentType = pgEnum("agent_type", ["human", "alpha", "llm", "external"]);
export const rewardStatus = pgEnum("reward_status", ["pending", "processing", "distributed", "failed"]);
export const rewardKind = pgEnum("reward_kind", REWARD_KINDS);
export const plan = pgEnum("plan", ["free", "pro", "enterprise"]);
export const subscriptionStatus = pgEnum("subscription_status", [
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "unpaid",
  "paused",
]);
export const paymentStatus = pgEnum("payment_status", ["pending", "succeeded", "failed", "refunded", "canceled"]);
export const jobStatus = pgEnum("job_status", ["queued", "running", "succeeded", "dead"]);
export const uploadStatus = pgEnum("upload_status", UPLOAD_STATUSES);
export const webhookEndpointStatus = pgEnum("webhook_endpoint_status", WEBHOOK_ENDPOINT_STATUSES);
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);
export const payoutBatchStatus = pgEnum("payout_batch_status", ["pending", "sending", "confirming", "completed", "failed"]);

export const users = pgTable(
  "users",
  {
    id: id(),
    address: text("address").notNull().unique("users_address_key"),
    username: text("username").unique("users_username_key"),
    email: text("email").unique("users_email_key"),
    roles: userRole("roles").array().notNull().default(sql`'{contributor}'::user_role[]`),
    reputation: doublePrecision("reputation").notNull().default(0),
    /** The weight of this person's votes (lib/verification/weights.ts): 1 for a new verifier, within [WEIGHT_MIN, WEIGHT_MAX]. */
    voteWeight: doublePrecision("vote_weight").notNull().default(1),
    /** Moving average (0–1) of how close their revealed votes came to the final scores; null before the first decision. */
    agreement: doublePrecision("agreement"),
    /** How many of their votes have been scored against a decision (feeds `agreement`). */
    scoredVotes: integer("scored_votes").notNull().default(0),
    /** Calibration record (lib/verification/calibration.ts, daily batch): items scored, verdict agreement on the last 10, mean absolute error. */
    calibrationSeen: integer("calibration_seen").notNull().default(0),
    calibrationAgreement: doublePrecision("calibration_agreement"),
    calibrationError: doublePrecision("calibration_error"),
    /** The platform's own account (owner of calibration items): one at most, nobody holds its key. */
    platform: boolean("platform").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    stripeCustomerId: text("stripe_customer_id").unique("users_stripe_customer_id_key"),
    lastSeenAt: ts("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("users_address_lowercase", sql`${t.address} ~ '^0x[0-9a-f]{40}$'`),
    index("users_created_at_id_idx").on(t.createdAt, t.id),
    index("users_last_seen_at_idx").on(t.lastSeenAt),
    uniqueIndex("users_platform_key").on(t.platform).where(sql`${t.platform}`),
    // /admin's calibration records, lowest agreement first.
    index("users_calibration_agreement_idx").on(t.calibrationAgreement, t.id).where(sql`${t.calibrationSeen} > 0`),
    // /admin's user search: any part of an address or username (ILIKE '%q%').
    index("users_address_trgm_idx").using("gin", sql`${t.address} gin_trgm_ops`),
    index("users_username_trgm_idx").using("gin", sql`${t.username} gin_trgm_ops`),
  ],
);

export const contributions = pgTable(
  "contributions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    cid: text("cid").notNull(),
    sha256: text("sha256").notNull(),
    fileName: text("file_name").notNull(),
    fileType: fileType("file_type").notNull(),
    mediaType: text("media_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    status: contributionStatus("status").notNull().default("pending"),
    qualityScore: numeric("quality_score", { precision: 5, scale: 2, mode: "number" }),
    verificationCount: integer("verification_count").notNull().default(0),
    /** Summed weight of the votes in (the decision needs MIN_DECISION_WEIGHT). Sealed like the votes until decided. */
    decisionWeight: doublePrecision("decision_weight").notNull().default(0),
    /** The decision record (lib/verification/aggregate.ts `Decision`): aggregate, per-criterion means, reasons. */
    decision: jsonb("decision").$type<Record<string, unknown>>(),
    duplicateOf: uuid("duplicate_of").references((): AnyPgColumn => contributions.id),
    haltReason: text("halt_reason"),
    /** The status a halt or pause interrupted, restored on resume. */
    statusBeforeHold: contributionStatus("status_before_hold"),
    /** A calibration item (its known verdict in calibration_items): never listed, never decided, never paid. */
    calibration: boolean("calibration").notNull().default(false),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("contributions_sha256_hex", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check("contributions_size_positive", sql`${t.sizeBytes} > 0`),
    check("contributions_quality_range", sql`${t.qualityScore} IS NULL OR (${t.qualityScore} >= 0 AND ${t.qualityScore} <= 100)`),
    // One upload of the same bytes per user (the 409 rule); other users' copies point at duplicate_of.
    uniqueIndex("contributions_user_id_cid_key").on(t.userId, t.cid),
    index("contributions_user_id_status_idx").on(t.userId, t.status),
    index("contributions_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
    index("contributions_status_created_at_id_idx").on(t.status, t.createdAt, t.id),
    index("contributions_created_at_id_idx").on(t.createdAt, t.id),
    index("contributions_file_type_created_at_id_idx").on(t.fileType, t.createdAt, t.id),
    index("contributions_cid_created_at_idx").on(t.cid, t.createdAt),
    index("contributions_duplicate_of_idx").on(t.duplicateOf),
    // Random draws of assignments: open contributions from a random id onward.
    index("contributions_open_id_idx")
      .on(t.id)
      .where(sql`${t.status} in (${sql.raw(sqlLiterals(OPEN_STATUSES))})`),
    // The verifiers' queue: open contributions, oldest first.
    index("contributions_open_created_at_id_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} in (${sql.raw(sqlLiterals(OPEN_STATUSES))})`),
    // Title search (ILIKE '%q%') at millions of rows.
    index("contributions_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
  ],
);

export const verifications = pgTable(
  "verifications",
  {
    id: id(),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id),
    verifierId: uuid("verifier_id").references(() => users.id),
    agentId: text("agent_id"),
    agentType: agentType("agent_type").notNull(),
    /** Null: an agent's abstention (a format it cannot judge) — no score, no weight, not counted toward the quorum. */
    voteScore: integer("vote_score"),
    subScores: jsonb("sub_scores").$type<Record<string, number>>().notNull().default({}),
    reasoning: text("reasoning").notNull().default(""),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    /** The voter's weight when the vote was cast (the decision is reproducible from the revealed votes). */
    weight: doublePrecision("weight").notNull().default(1),
    /** Random salt (hex) and SHA-256 commitment of the sealed ballot (lib/verification/commitment.ts). */
    salt: text("salt").notNull().default(""),
    commitment: text("commitment"),
    /** 1 for the first round, 2 for an appeal's panel (lib/verification/appeals.ts). */
    round: smallint("round").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    check("verifications_vote_score_range", sql`${t.voteScore} BETWEEN 0 AND 100`),
    check("verifications_one_verifier", sql`num_nonnulls(${t.verifierId}, ${t.agentId}) = 1`),
    check("verifications_only_agents_abstain", sql`${t.voteScore} IS NOT NULL OR ${t.agentId} IS NOT NULL`),
    // One vote per verifier (human or agent) per contribution.
    unique("verifications_contribution_id_verifier_id_key").on(t.contributionId, t.verifierId),
    unique("verifications_contribution_id_agent_id_key").on(t.contributionId, t.agentId),
    index("verifications_contribution_id_created_at_id_idx").on(t.contributionId, t.createdAt, t.id),
    index("verifications_verifier_id_created_at_idx").on(t.verifierId, t.createdAt),
    // Exports walk whole tables in keyset pages of (created_at, id).
    index("verifications_created_at_id_idx").on(t.createdAt, t.id),
    // Conflict-of-interest checks read people's high votes only.
    index("verifications_high_votes_idx")
      .on(t.verifierId, t.contributionId)
      .where(sql`${t.voteScore} >= ${sql.raw(String(COLLUSION_HIGH_VOTE))}`),
  ],
);

export const assignmentStatus = pgEnum("assignment_status", ASSIGNMENT_STATUSES);

/** A review handed to a verifier (lib/verification/assignments.ts): held until `expires_at`, then back in the pool. */
export const assignments = pgTable(
  "assignments",
  {
    id: id(),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id),
    verifierId: uuid("verifier_id")
      .notNull()
      .references(() => users.id),
    status: assignmentStatus("status").notNull().default("live"),
    expiresAt: ts("expires_at").notNull(),
    closedAt: ts("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // One live assignment of a contribution per verifier.
    uniqueIndex("assignments_live_key").on(t.contributionId, t.verifierId).where(sql`${t.status} = 'live'`),
    index("assignments_contribution_id_status_idx").on(t.contributionId, t.status),
    index("assignments_verifier_id_status_created_at_idx").on(t.verifierId, t.status, t.createdAt),
  ],
);

export const calibrationVerdict = pgEnum("calibration_verdict", CALIBRATION_VERDICTS);

/** The answer key of a calibration item (lib/verification/calibration.ts): admins only. */
export const calibrationItems = pgTable(
  "calibration_items",
  {
    contributionId: uuid("contribution_id")
      .primaryKey()
      .references(() => contributions.id),
    knownVerdict: calibrationVerdict("known_verdict").notNull(),
    scoreMin: smallint("score_min").notNull(),
    scoreMax: smallint("score_max").notNull(),
    markedBy: uuid("marked_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("calibration_items_range", sql`0 <= ${t.scoreMin} AND ${t.scoreMin} <= ${t.scoreMax} AND ${t.scoreMax} <= 100`),
    index("calibration_items_created_at_idx").on(t.createdAt, t.contributionId),
    index("calibration_items_marked_by_idx").on(t.markedBy),
  ],
);

/** One calibration vote as the daily batch scored it (its verdict against the known one, its distance to the known range). */
export const calibrationScores = pgTable(
  "calibration_scores",
  {
    verificationId: uuid("verification_id")
      .primaryKey()
      .references(() => verifications.id),
    verifierId: uuid("verifier_id")
      .notNull()
      .references(() => users.id),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id),
    agrees: boolean("agrees").notNull(),
    error: doublePrecision("error").notNull(),
    votedAt: ts("voted_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("calibration_scores_verifier_id_voted_at_idx").on(t.verifierId, t.votedAt), index("calibration_scores_contribution_id_idx").on(t.contributionId)],
);

export const appealStatus = pgEnum("appeal_status", APPEAL_STATUSES);

/** An owner's appeal of a rejection (lib/verification/appeals.ts): one per contribution. */
export const appeals = pgTable(
  "appeals",
  {
    id: id(),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id)
      .unique("appeals_contribution_id_key"),
    appellantId: uuid("appellant_id")
      .notNull()
      .references(() => users.id),
    statement: text("statement").notNull(),
    status: appealStatus("status").notNull().default("open"),
    /** The first round's decision, kept when the panel's replaces it on the contribution. */
    firstDecision: jsonb("first_decision").$type<Record<string, unknown>>(),
    firstScore: doublePrecision("first_score"),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("appeals_statement_length", sql`char_length(${t.statement}) BETWEEN 1 AND 2000`),
    index("appeals_status_created_at_idx").on(t.status, t.createdAt, t.id),
    index("appeals_appellant_id_idx").on(t.appellantId),
  ],
);

/**
 * A file's preview (lib/previews), computed once per CID by a job and kept bounded; `version` is the
 * previewer's, so a changed previewer recomputes it.
 */
export const previews = pgTable("previews", {
  cid: text("cid").primaryKey(),
  version: smallint("version").notNull(),
  body: jsonb("body").$type<Record<string, unknown>>().notNull(),
  bytesRead: integer("bytes_read").notNull(),
  /** An image's thumbnail (WebP, at most 256 × 256), served by /thumbnail — never the original inline. */
  thumbnail: bytea("thumbnail"),
  computedAt: ts("computed_at").notNull().default(sql`now()`),
});

export const payoutBatches = pgTable(
  "payout_batches",
  {
    id: id(),
    status: payoutBatchStatus("status").notNull().default("pending"),
    chainId: integer("chain_id"),
    createdBy: uuid("created_by").references(() => users.id),
    rewardCount: integer("reward_count").notNull().default(0),
    totalAmount: numeric("total_amount", { precision: 38, scale: 18, mode: "string" }).notNull().default("0"),
    error: text("error"),
    /** The account that signs the batch's transaction (the distributor's owner). */
    payerAddress: text("payer_address"),
    /** The transaction, stored signed BEFORE it is broadcast: a restart re-sends exactly it, never a second one. */
    nonce: integer("nonce"),
    txHash: text("tx_hash"),
    rawTx: text("raw_tx"),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: ts("completed_at"),
  },
  (t) => [
    // Explicit nonce management: two batches can never be signed with the same nonce.
    uniqueIndex("payout_batches_chain_payer_nonce_key").on(t.chainId, t.payerAddress, t.nonce),
    index("payout_batches_tx_hash_idx").on(t.txHash),
    index("payout_batches_status_created_at_idx").on(t.status, t.createdAt),
    index("payout_batches_created_at_id_idx").on(t.createdAt, t.id),
    index("payout_batches_created_by_idx").on(t.createdBy),
  ],
);

export const rewards = pgTable(
  "rewards",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id),
    kind: rewardKind("kind").notNull().default("verification"),
    /** The month (its first day, UTC) a revenue-share reward pays for; null for a verification reward. */
    period: date("period", { mode: "string" }),
    amount: numeric("amount", { precision: 38, scale: 18, mode: "string" }).notNull(),
    status: rewardStatus("status").notNull().default("pending"),
    txHash: text("tx_hash"),
    chainId: integer("chain_id"),
    batchId: uuid("batch_id").references(() => payoutBatches.id),
    failureReason: text("failure_reason"),
    distributedAt: ts("distributed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("rewards_amount_positive", sql`${t.amount} > 0`),
    check("rewards_period_kind", sql`(${t.kind} = 'verification') = (${t.period} IS NULL)`),
    // One verification reward per contribution (settlement relies on it), one revenue share per contribution and month.
    uniqueIndex("rewards_verification_contribution_key").on(t.contributionId).where(sql`${t.kind} = 'verification'`),
    uniqueIndex("rewards_revenue_share_contribution_period_key").on(t.contributionId, t.period).where(sql`${t.kind} = 'revenue_share'`),
    index("rewards_period_id_idx").on(t.period, t.id).where(sql`${t.kind} = 'revenue_share'`),
    index("rewards_contribution_id_idx").on(t.contributionId),
    index("rewards_user_id_status_idx").on(t.userId, t.status),
    index("rewards_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
    index("rewards_status_created_at_id_idx").on(t.status, t.createdAt, t.id),
    index("rewards_created_at_id_idx").on(t.createdAt, t.id),
    index("rewards_batch_id_idx").on(t.batchId),
    index("rewards_tx_hash_idx").on(t.txHash),
  ],
);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    plan: plan("plan").notNull().default("free"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id").unique("subscriptions_stripe_subscription_id_key"),
    stripePriceId: text("stripe_price_id"),
    status: subscriptionStatus("status").notNull().default("active"),
    currentPeriodStart: ts("current_period_start"),
    currentPeriodEnd: ts("current_period_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    canceledAt: ts("canceled_at"),
    /** Timestamp of the Stripe event last applied: older events never overwrite newer state. */
    stripeEventAt: ts("stripe_event_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_user_id_status_idx").on(t.userId, t.status),
    index("subscriptions_stripe_customer_id_idx").on(t.stripeCustomerId),
    index("subscriptions_status_plan_idx").on(t.status, t.plan),
    index("subscriptions_canceled_at_idx").on(t.canceledAt),
  ],
);

/**
 * Keyed reads of a contribution (its detail or file, by a paid plan's API key, not its owner's) per
 * calendar month: batched in memory (lib/revenue/reads.ts), the weights of the month's revenue share.
 */
export const contributionReads = pgTable(
  "contribution_reads",
  {
    period: date("period", { mode: "string" }).notNull(),
    contributionId: uuid("contribution_id")
      .notNull()
      .references(() => contributions.id),
    reads: bigint("reads", { mode: "number" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "contribution_reads_pkey", columns: [t.period, t.contributionId] }),
    index("contribution_reads_contribution_id_idx").on(t.contributionId),
    check("contribution_reads_positive", sql`${t.reads} > 0`),
  ],
);

/**
 * A closed revenue-share month (lib/revenue/close.ts): the net revenue it shared, the pool in wei
 * (its share at the NWU rate, plus what the previous month carried), what was allocated and what
 * carried on. The row is written first in the closing transaction, so a concurrent close waits on
 * its key and then finds the month closed.
 */
export const revenueSharePeriods = pgTable(
  "revenue_share_periods",
  {
    period: date("period", { mode: "string" }).primaryKey(),
    revenueCents: bigint("revenue_cents", { mode: "number" }).notNull(),
    refundsCents: bigint("refunds_cents", { mode: "number" }).notNull(),
    refundsSeenCents: bigint("refunds_seen_cents", { mode: "number" }).notNull(),
    sharePercent: numeric("share_percent", { precision: 5, scale: 2, mode: "string" }).notNull(),
    nwuPerUsd: numeric("nwu_per_usd", { precision: 38, scale: 18, mode: "string" }).notNull(),
    carriedInWei: numeric("carried_in_wei", { precision: 78, scale: 0, mode: "string" }).notNull(),
    poolWei: numeric("pool_wei", { precision: 78, scale: 0, mode: "string" }).notNull(),
    allocatedWei: numeric("allocated_wei", { precision: 78, scale: 0, mode: "string" }).notNull(),
    carriedOutWei: numeric("carried_out_wei", { precision: 78, scale: 0, mode: "string" }).notNull(),
    eligibleReads: bigint("eligible_reads", { mode: "number" }).notNull(),
    rewards: integer("rewards").notNull(),
    closedBy: uuid("closed_by").references(() => users.id),
    closedAt: ts("closed_at").notNull().defaultNow(),
  },
  (t) => [index("revenue_share_periods_closed_by_idx").on(t.closedBy)],
);

export const payments = pgTable(
  "payments",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id),
    stripePaymentId: text("stripe_payment_id").unique("payments_stripe_payment_id_key"),
    stripeInvoiceId: text("stripe_invoice_id"),
    amountCents: integer("amount_cents").notNull(),
    refundedCents: integer("refunded_cents").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    status: paymentStatus("status").notNull().default("pending"),
    description: text("description").notNull().default(""),
    paidAt: ts("paid_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("payments_amount_nonnegative", sql`${t.amountCents} >= 0 AND ${t.refundedCents} >= 0`),
    index("payments_stripe_invoice_id_idx").on(t.stripeInvoiceId),
    index("payments_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
    index("payments_created_at_id_idx").on(t.createdAt, t.id),
    index("payments_status_created_at_id_idx").on(t.status, t.createdAt, t.id),
    index("payments_subscription_id_idx").on(t.subscriptionId),
    index("payments_status_paid_at_idx").on(t.status, t.paidAt),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique("api_keys_key_hash_key"),
    prefix: text("prefix").notNull(),
    last4: text("last4").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    plan: plan("plan").notNull().default("free"),
    active: boolean("active").notNull().default(true),
    lastUsedAt: ts("last_used_at"),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    /** pg_current_wal_lsn() after this key's last write: its reads stay on the primary until a replica replayed it. */
    lastWriteLsn: text("last_write_lsn"),
    createdAt: createdAt(),
  },
  (t) => [
    index("api_keys_user_id_active_idx").on(t.userId, t.active),
    index("api_keys_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
  ],
);

export const usageRecords = pgTable(
  "usage_records",
  {
    id: id(),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id),
    endpoint: text("endpoint").notNull(),
    recordDate: date("record_date", { mode: "string" }).notNull(),
    requestCount: integer("request_count").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The contract's unique (subscription, day, endpoint), kept per API key so each key's usage is
    // visible; NULLS NOT DISTINCT makes cookie requests (no key) fold into one row too.
    unique("usage_records_subscription_id_record_date_endpoint_key")
      .on(t.subscriptionId, t.recordDate, t.endpoint, t.apiKeyId)
      .nullsNotDistinct(),
    index("usage_records_user_id_record_date_idx").on(t.userId, t.recordDate),
    index("usage_records_api_key_id_record_date_idx").on(t.apiKeyId, t.recordDate),
    index("usage_records_record_date_idx").on(t.recordDate),
  ],
);

/**
 * Billable API requests: one row per subscription and billing period (the subscription's own cycle),
 * counted by the keyed request's own rate-limit statement — durable, exact, shared by every instance.
 * `included` is the plan's allowance when the period began; `reported` how many requests beyond it are
 * already handed to the meter-event outbox. The partial index finds the rows with overage not yet reported.
 */
export const apiUsagePeriods = pgTable(
  "api_usage_periods",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => subscriptions.id),
    plan: plan("plan").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    included: integer("included").notNull(),
    requests: integer("requests").notNull().default(0),
    reported: integer("reported").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("api_usage_periods_subscription_id_period_start_key").on(t.subscriptionId, t.periodStart),
    index("api_usage_periods_user_id_period_start_idx").on(t.userId, t.periodStart),
    index("api_usage_periods_unreported_idx").on(t.updatedAt).where(sql`${t.requests} > ${t.included} + ${t.reported}`),
    check("api_usage_periods_counts_nonnegative", sql`${t.requests} >= 0 AND ${t.included} >= 0 AND ${t.reported} >= 0`),
  ],
);

/**
 * The meter-event outbox: requests beyond a period's included ones, handed to Stripe exactly once.
 * A row is written in the same statement that moves its period's `reported` on; its `identifier`
 * (the period and the range of overage requests it covers) is what Stripe deduplicates a resend by.
 * `pending` → `sending` (leased while the call is out) → `sent`, or `failed` when Stripe refuses it
 * for good; `carried_over`: it came after its period (and invoice) closed, so it is billed on the next.
 */
export const meterReportStatus = pgEnum("meter_report_status", ["pending", "sending", "sent", "failed"]);

export const meterReports = pgTable(
  "meter_reports",
  {
    id: id(),
    usagePeriodId: uuid("usage_period_id")
      .notNull()
      .references(() => apiUsagePeriods.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    identifier: text("identifier").notNull().unique("meter_reports_identifier_key"),
    quantity: integer("quantity").notNull(),
    /** The usage time Stripe is told (within the period, or now when carried over). */
    eventAt: ts("event_at").notNull(),
    carriedOver: boolean("carried_over").notNull().default(false),
    status: meterReportStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    /** Sent after Stripe's deduplication window had passed, once its meter totals showed it missing. */
    reconciled: boolean("reconciled").notNull().default(false),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("meter_reports_quantity_positive", sql`${t.quantity} > 0`),
    index("meter_reports_usage_period_id_idx").on(t.usagePeriodId),
    index("meter_reports_user_id_created_at_idx").on(t.userId, t.createdAt),
    index("meter_reports_status_next_attempt_at_idx").on(t.status, t.nextAttemptAt),
    index("meter_reports_stripe_customer_id_event_at_idx").on(t.stripeCustomerId, t.eventAt),
    index("meter_reports_sent_at_idx").on(t.sentAt),
  ],
);

/**
 * What the webhook did with a Stripe event: applied it (`processed`), could not attribute it to one
 * of our users (`unmatched`), or could not use it (`ignored`: malformed or of a type it does not act
 * on, with the reason). All three are acknowledged to Stripe, so none is retried.
 */
export const stripeEventStatus = pgEnum("stripe_event_status", ["processed", "unmatched", "ignored"]);

export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    processedAt: ts("processed_at").notNull().defaultNow(),
    status: stripeEventStatus("status").notNull().default("processed"),
    objectId: text("object_id"),
    customerId: text("customer_id"),
    reason: text("reason"),
  },
  // The admin list of events not applied, newest first: only those rows, in its order.
  (t) => [index("stripe_events_unapplied_idx").on(t.processedAt, t.id).where(sql`${t.status} <> 'processed'`)],
);

export const authNonces = pgTable(
  "auth_nonces",
  {
    nonce: text("nonce").primaryKey(),
    expiresAt: ts("expires_at").notNull(),
    consumedAt: ts("consumed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("auth_nonces_expires_at_idx").on(t.expiresAt)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie token: a leaked table does not yield usable cookies. */
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    address: text("address").notNull(),
    chainId: integer("chain_id").notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    absoluteExpiresAt: ts("absolute_expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    status: jobStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    runAt: ts("run_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    dedupeKey: text("dedupe_key").unique("jobs_dedupe_key_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_status_run_at_idx").on(t.status, t.runAt),
    index("jobs_status_locked_until_idx").on(t.status, t.lockedUntil),
    index("jobs_kind_status_idx").on(t.kind, t.status),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    actorId: uuid("actor_id").references(() => users.id),
    actorKind: text("actor_kind").notNull().default("user"),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    reason: text("reason"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_entity_type_entity_id_created_at_idx").on(t.entityType, t.entityId, t.createdAt),
    index("audit_log_actor_id_created_at_idx").on(t.actorId, t.createdAt),
    index("audit_log_created_at_idx").on(t.createdAt),
  ],
);

/** Rate-limit counters shared by every app instance (one row per key and window). */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    key: text("key").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limit_buckets_expires_at_idx").on(t.expiresAt)],
);

/**
 * Blocks of halted content: with IPFS networking on, the node does not serve them to peers. A row
 * per (block, root): a block shared by two files is withheld while either root is halted.
 */
export const withheldBlocks = pgTable(
  "withheld_blocks",
  {
    blockCid: text("block_cid").notNull(),
    rootCid: text("root_cid").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blockCid, t.rootCid] }), index("withheld_blocks_root_cid_idx").on(t.rootCid)],
);

/**
 * Resumable (tus) uploads: the partial bytes live in UPLOAD_DIR, this row holds who sends them, the
 * contribution's fields (validated at creation, again on completion) and, once imported, which
 * contribution they became. Removed by its expiry job (lib/uploads/expiry.ts).
 */
export const uploads = pgTable(
  "uploads",
  {
    /** The tus upload id (the last segment of its URL), a random UUID. */
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: uploadStatus("status").notNull().default("receiving"),
    /** Upload-Length, declared at creation. */
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    fileName: text("file_name").notNull(),
    /** The contribution's text fields as sent (title, description, file_type, metadata). */
    fields: jsonb("fields").$type<Record<string, string>>().notNull(),
    contributionId: uuid("contribution_id").references(() => contributions.id, { onDelete: "set null" }),
    /** The bytes were the user's own earlier upload: contribution_id names that one. */
    duplicate: boolean("duplicate").notNull().default(false),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    check("uploads_size_nonnegative", sql`${t.sizeBytes} >= 0`),
    // The per-user limits (count, summed bytes) and the unfinished list, newest first.
    index("uploads_user_id_status_created_at_id_idx").on(t.userId, t.status, t.createdAt, t.id),
    index("uploads_contribution_id_idx").on(t.contributionId),
  ],
);

/**
 * The outbox: what happened, written in the transaction that made it happen (lib/outbox), then
 * fanned out to webhook deliveries and people's inboxes by a job. `audience`: the users whose own
 * endpoints may hear of it (admins' platform-wide endpoints hear of everything).
 */
export const events = pgTable(
  "events",
  {
    id: id(),
    type: text("type").notNull(),
    audience: uuid("audience").array().notNull().default(sql`'{}'::uuid[]`),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("events_created_at_id_idx").on(t.createdAt, t.id)],
);

/** A receiver of signed events (Standard Webhooks). The secret signs; the previous one keeps signing until it expires (rotation). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    eventTypes: text("event_types").array().notNull(),
    /** An admin's endpoint taking every user's events, not only its owner's. */
    platform: boolean("platform").notNull().default(false),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    status: webhookEndpointStatus("status").notNull().default("active"),
    disabledReason: text("disabled_reason"),
    /** The first failure of the current run of failures (null after a success). */
    failingSince: ts("failing_since"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** After a failure the endpoint rests until then (exponential backoff with jitter). */
    retryAt: ts("retry_at"),
    /** One delivery run at a time per endpoint, so its events go out in order. */
    drainingUntil: ts("draining_until"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id), index("webhook_endpoints_platform_idx").on(t.platform)],
);

/** One event for one endpoint: its attempts so far and the last answer (the delivery log). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastAttemptAt: ts("last_attempt_at"),
    responseStatus: integer("response_status"),
    latencyMs: integer("latency_ms"),
    error: text("error"),
    createdAt: createdAt(),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    unique("webhook_deliveries_endpoint_id_event_id_key").on(t.endpointId, t.eventId),
    // The drain (pending, in order) and the log (newest first) both walk an endpoint's deliveries.
    index("webhook_deliveries_endpoint_id_status_created_at_id_idx").on(t.endpointId, t.status, t.createdAt, t.id),
    index("webhook_deliveries_endpoint_id_created_at_id_idx").on(t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_event_id_idx").on(t.eventId),
  ],
);

/**
 * A person's inbox entry: one per (user, event) — the fan-out that writes it is idempotent. What it
 * says (title, body, link) is written at fan-out, from committed state only (nothing sealed).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** No foreign key: the outbox's events may be pruned, the inbox keeps what it told. */
    eventId: uuid("event_id").notNull(),
    /** lib/notifications/kinds.ts NOTIFICATION_KINDS. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** A path inside the app (the contribution, the assignments page…). */
    link: text("link"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    readAt: ts("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("notifications_user_id_event_id_key").on(t.userId, t.eventId),
    // The inbox (newest first) and its unread filter and count.
    index("notifications_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
    index("notifications_user_id_unread_created_at_id_idx").on(t.userId, t.createdAt, t.id).where(sql`read_at IS NULL`),
  ],
);

/** A person's e-mail address for notifications (one per user): confirmed before any notification is sent to it. */
export const notificationEmails = pgTable(
  "notification_emails",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" })
      .unique("notification_emails_user_id_key"),
    address: text("address").notNull(),
    confirmedAt: ts("confirmed_at"),
    /** SHA-256 (hex) of the confirmation link's token; null once confirmed. */
    confirmTokenHash: text("confirm_token_hash").unique("notification_emails_confirm_token_hash_key"),
    /** Random, in every mail's unsubscribe link: it can only switch e-mails off. */
    unsubscribeToken: text("unsubscribe_token").notNull().unique("notification_emails_unsubscribe_token_key"),
    /** The origin links are built on when APP_URL is unset: the one the address was added from. */
    linkOrigin: text("link_origin").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
);

/** A choice that differs from the default (in-app on, e-mail on once an address is confirmed), per kind and channel. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    channel: text("channel").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] }), check("notification_preferences_channel_check", sql`channel IN ('in_app', 'email')`)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Contribution = typeof contributions.$inferSelect;
export type NewContribution = typeof contributions.$inferInsert;
export type Verification = typeof verifications.$inferSelect;
export type NewVerification = typeof verifications.$inferInsert;
export type Reward = typeof rewards.$inferSelect;
export type NewReward = typeof rewards.$inferInsert;
export type PayoutBatch = typeof payoutBatches.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type ApiUsagePeriod = typeof apiUsagePeriods.$inferSelect;
export type NewSubscription = typeof subscriptions.$inferInsert;
export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type UsageRecord = typeof usageRecords.$inferSelect;
export type StripeEvent = typeof stripeEvents.$inferSelect;
export type AuthNonce = typeof authNonces.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type AuditLogEntry = typeof auditLog.$inferSelect;

export type UserRole = (typeof userRole.enumValues)[number];
export type FileType = (typeof fileType.enumValues)[number];
export type ContributionStatus = (typeof contributionStatus.enumValues)[number];
export type RewardStatus = (typeof rewardStatus.enumValues)[number];
export type Plan = (typeof plan.enumValues)[number];
