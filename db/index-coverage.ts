import { sql } from "drizzle-orm";

import { queryRows, type Db, type Tx } from "./client";

/**
 * Indexes the platform relies on. "Covered" means some index on the table has these columns as its
 * leading key columns, in order (a compound index serves every prefix of itself); `unique` demands
 * a unique index on exactly these columns.
 */
export interface RequiredIndex {
  table: string;
  columns: string[];
  unique?: boolean;
}

export const REQUIRED_INDEXES: readonly RequiredIndex[] = [
  { table: "contributions", columns: ["user_id"] },
  { table: "contributions", columns: ["status"] },
  { table: "contributions", columns: ["user_id", "status"] },
  { table: "contributions", columns: ["status", "created_at", "id"] },
  { table: "contributions", columns: ["user_id", "created_at", "id"] },
  { table: "contributions", columns: ["created_at", "id"] },
  { table: "contributions", columns: ["user_id", "cid"], unique: true },
  { table: "verifications", columns: ["contribution_id"] },
  { table: "rewards", columns: ["user_id"] },
  { table: "rewards", columns: ["contribution_id"], unique: true },
  { table: "rewards", columns: ["status"] },
  { table: "rewards", columns: ["user_id", "status"] },
  { table: "rewards", columns: ["status", "created_at", "id"] },
  { table: "rewards", columns: ["user_id", "created_at", "id"] },
  { table: "rewards", columns: ["batch_id"] },
  { table: "payout_batches", columns: ["status", "created_at"] },
  { table: "payout_batches", columns: ["created_at", "id"] },
  { table: "payout_batches", columns: ["tx_hash"] },
  { table: "payout_batches", columns: ["chain_id", "payer_address", "nonce"], unique: true },
  { table: "payments", columns: ["stripe_payment_id"], unique: true },
  { table: "payments", columns: ["stripe_invoice_id"] },
  { table: "subscriptions", columns: ["stripe_subscription_id"], unique: true },
  { table: "subscriptions", columns: ["stripe_customer_id"] },
  { table: "subscriptions", columns: ["user_id", "status"] },
  { table: "usage_records", columns: ["subscription_id", "record_date"] },
  { table: "api_usage_periods", columns: ["subscription_id", "period_start"], unique: true },
  { table: "api_usage_periods", columns: ["user_id", "period_start"] },
  { table: "api_usage_periods", columns: ["updated_at"] }, // partial: the periods with overage not yet reported
  { table: "meter_reports", columns: ["identifier"], unique: true },
  { table: "meter_reports", columns: ["status", "next_attempt_at"] },
  { table: "meter_reports", columns: ["stripe_customer_id", "event_at"] },
  { table: "meter_reports", columns: ["sent_at"] },
  { table: "api_keys", columns: ["key_hash"], unique: true },
  { table: "users", columns: ["address"], unique: true },
  { table: "jobs", columns: ["status", "run_at"] },
  { table: "stripe_events", columns: ["processed_at", "id"] }, // partial: the events not applied, for /admin
];

export interface IndexInfo {
  table: string;
  name: string;
  unique: boolean;
  columns: string[];
}

const KEY_COLUMNS = /\(([^)]*)\)/;

/** Every index in the public schema, read from pg_indexes. */
export async function listIndexes(db: Db | Tx): Promise<IndexInfo[]> {
  const rows = await queryRows<{ tablename: string; indexname: string; indexdef: string }>(
    db,
    sql`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
  );
  return rows.map((r) => ({
    table: r.tablename,
    name: r.indexname,
    unique: /^CREATE UNIQUE INDEX/i.test(r.indexdef),
    columns: (KEY_COLUMNS.exec(r.indexdef)?.[1] ?? "").split(",").map((c) => c.trim().replace(/^"|"$/g, "")),
  }));
}

export function isCovered(required: RequiredIndex, indexes: readonly IndexInfo[]): boolean {
  return indexes.some(
    (ix) =>
      ix.table === required.table &&
      (required.unique
        ? ix.unique && ix.columns.length === required.columns.length && required.columns.every((c, i) => ix.columns[i] === c)
        : required.columns.every((c, i) => ix.columns[i] === c)),
  );
}

/** Foreign-key columns of the public schema ("table.column"), for the every-FK-is-indexed rule. */
export async function listForeignKeyColumns(db: Db | Tx): Promise<{ table: string; column: string }[]> {
  return queryRows<{ table: string; column: string }>(
    db,
    sql`SELECT cl.relname AS "table", a.attname AS "column"
        FROM pg_constraint c
        JOIN pg_class cl ON cl.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND n.nspname = 'public'
        ORDER BY 1, 2`,
  );
}
