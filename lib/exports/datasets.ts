import { CONTRIBUTION_STATUSES } from "@/db/vocabulary";
import { paymentStatus, payoutBatchStatus, rewardStatus } from "@/db/schema";

/**
 * What each export holds: one declaration per dataset, read by the CSV, NDJSON and own-data JSON
 * writers alike. Every value is rendered to text by PostgreSQL itself (exact decimals, UTC times with
 * microseconds), so nothing is rounded on the way out; `kind` only says how JSON writes it.
 *
 * Every expression here is a constant of this file (never input), so it is spliced into SQL as is.
 */
export type ColumnKind = "text" | "int" | "decimal" | "bool" | "time" | "json";

export interface ExportColumn {
  name: string;
  sql: string;
  kind: ColumnKind;
}

export interface ExportDataset {
  name: string;
  /** What the admin form calls it. */
  label: string;
  /** FROM … JOIN …: the dataset's rows; `alias` is its own table (keyset and date range on alias.created_at, alias.id). */
  from: string;
  alias: string;
  columns: readonly ExportColumn[];
  /** The values `status` may take (null: the dataset has no status filter). */
  statuses: readonly string[] | null;
  /** The admin export's own condition beyond the filters (votes: revealed ones only). */
  adminWhere?: string;
  /** The column naming the user a row belongs to, for their own-data download; absent: not in it. */
  owner?: string;
  /** Listed for admins (the own-data download alone has API keys). */
  admin: boolean;
}

/** ISO 8601 in UTC with microseconds (what the database holds), null stays null. */
export const isoTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const col = (name: string, sql: string, kind: ColumnKind = "text"): ExportColumn => ({ name, sql, kind });
const time = (name: string, column: string) => col(name, isoTime(column), "time");

/**
 * A vote is revealed once its contribution is decided; during an appeal (decided_at cleared) the
 * first round's votes stay revealed while the panel's (round 2) are sealed. A calibration item's votes
 * are never revealed (it is never decided). The same rule as lib/verification/queries.ts `sealedRound`
 * for a viewer who is nobody's voter.
 */
export const REVEALED_VOTE = `NOT c.calibration AND (c.decided_at IS NOT NULL OR (v.round = 1 AND EXISTS (SELECT 1 FROM appeals a WHERE a.contribution_id = c.id AND a.status = 'open')))`;

export const DATASETS = {
  contributions: {
    name: "contributions",
    label: "Contributions",
    from: "contributions c JOIN users u ON u.id = c.user_id",
    alias: "c",
    statuses: CONTRIBUTION_STATUSES,
    owner: "c.user_id",
    admin: true,
    columns: [
      col("id", "c.id::text"),
      col("owner", "u.address"),
      col("title", "c.title"),
      col("description", "c.description"),
      col("file_type", "c.file_type::text"),
      col("file_name", "c.file_name"),
      col("media_type", "c.media_type"),
      col("size_bytes", "c.size_bytes::text", "int"),
      col("cid", "c.cid"),
      col("sha256", "c.sha256"),
      col("status", "c.status::text"),
      // The score is sealed until the decision, like the votes (it is null before it; this holds that).
      col("quality_score", "CASE WHEN c.decided_at IS NOT NULL THEN c.quality_score::text END", "decimal"),
      col("verification_count", "c.verification_count::text", "int"),
      col("calibration", "c.calibration::text", "bool"),
      col("metadata", "c.metadata::text", "json"),
      time("decided_at", "c.decided_at"),
      time("created_at", "c.created_at"),
    ],
  },
  votes: {
    name: "votes",
    label: "Votes (revealed only)",
    from: "verifications v JOIN contributions c ON c.id = v.contribution_id LEFT JOIN users u ON u.id = v.verifier_id",
    alias: "v",
    statuses: null,
    adminWhere: REVEALED_VOTE,
    owner: "v.verifier_id",
    admin: true,
    columns: [
      col("id", "v.id::text"),
      col("contribution_id", "v.contribution_id::text"),
      col("round", "v.round::text", "int"),
      col("voter", "COALESCE(u.address, v.agent_id)"),
      col("agent_type", "v.agent_type::text"),
      col("vote_score", "v.vote_score::text", "int"),
      col("abstained", "(v.vote_score IS NULL)::text", "bool"),
      col("weight", "v.weight::text", "decimal"),
      col("sub_scores", "v.sub_scores::text", "json"),
      col("reasoning", "v.reasoning"),
      col("salt", "v.salt"),
      col("commitment", "v.commitment"),
      time("created_at", "v.created_at"),
    ],
  },
  rewards: {
    name: "rewards",
    label: "Rewards",
    from: "rewards r JOIN users u ON u.id = r.user_id",
    alias: "r",
    statuses: rewardStatus.enumValues,
    owner: "r.user_id",
    admin: true,
    columns: [
      col("id", "r.id::text"),
      col("owner", "u.address"),
      col("contribution_id", "r.contribution_id::text"),
      col("amount", "r.amount::text", "decimal"),
      col("status", "r.status::text"),
      col("chain_id", "r.chain_id::text", "int"),
      col("tx_hash", "r.tx_hash"),
      col("batch_id", "r.batch_id::text"),
      col("failure_reason", "r.failure_reason"),
      time("distributed_at", "r.distributed_at"),
      time("created_at", "r.created_at"),
      // Added last (CSV readers may go by position): what the reward pays for, and a revenue share's month.
      col("kind", "r.kind::text"),
      col("period", "r.period::text"),
    ],
  },
  payouts: {
    name: "payouts",
    label: "Payouts",
    from: "payout_batches b LEFT JOIN users u ON u.id = b.created_by",
    alias: "b",
    statuses: payoutBatchStatus.enumValues,
    admin: true,
    columns: [
      col("id", "b.id::text"),
      col("status", "b.status::text"),
      col("chain_id", "b.chain_id::text", "int"),
      col("reward_count", "b.reward_count::text", "int"),
      col("total_amount", "b.total_amount::text", "decimal"),
      col("payer_address", "b.payer_address"),
      col("tx_hash", "b.tx_hash"),
      col("created_by", "u.address"),
      col("error", "b.error"),
      time("sent_at", "b.sent_at"),
      time("completed_at", "b.completed_at"),
      time("created_at", "b.created_at"),
    ],
  },
  payments: {
    name: "payments",
    label: "Payments",
    from: "payments p JOIN users u ON u.id = p.user_id",
    alias: "p",
    statuses: paymentStatus.enumValues,
    owner: "p.user_id",
    admin: true,
    columns: [
      col("id", "p.id::text"),
      col("payer", "u.address"),
      // Cents as an exact decimal of the currency unit: 1999 → "19.99".
      col("amount", "(p.amount_cents::numeric / 100)::numeric(14, 2)::text", "decimal"),
      col("refunded", "(p.refunded_cents::numeric / 100)::numeric(14, 2)::text", "decimal"),
      col("currency", "p.currency"),
      col("status", "p.status::text"),
      col("description", "p.description"),
      col("stripe_payment_id", "p.stripe_payment_id"),
      col("stripe_invoice_id", "p.stripe_invoice_id"),
      time("paid_at", "p.paid_at"),
      time("created_at", "p.created_at"),
    ],
  },
  api_keys: {
    name: "api_keys",
    label: "API keys",
    // Metadata only: never key_hash (nor the key, which is never stored).
    from: "api_keys k",
    alias: "k",
    statuses: null,
    owner: "k.user_id",
    admin: false,
    columns: [
      col("id", "k.id::text"),
      col("name", "k.name"),
      col("prefix", "k.prefix"),
      col("last4", "k.last4"),
      col("scopes", "to_jsonb(k.scopes)::text", "json"),
      col("plan", "k.plan::text"),
      col("active", "k.active::text", "bool"),
      time("last_used_at", "k.last_used_at"),
      time("expires_at", "k.expires_at"),
      time("revoked_at", "k.revoked_at"),
      time("created_at", "k.created_at"),
    ],
  },
} as const satisfies Record<string, ExportDataset>;

export type DatasetName = keyof typeof DATASETS;

/** The datasets admins export, in the form's order. */
export const ADMIN_DATASETS = (Object.values(DATASETS) as ExportDataset[]).filter((d) => d.admin);
export const ADMIN_DATASET_NAMES = ADMIN_DATASETS.map((d) => d.name);

/** The sections of a user's own-data download, in its order. */
export const OWN_DATASETS = (Object.values(DATASETS) as ExportDataset[]).filter((d) => d.owner);

export function adminDataset(name: string): ExportDataset | undefined {
  return ADMIN_DATASETS.find((d) => d.name === name);
}
