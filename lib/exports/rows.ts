import "server-only";

import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

import { getDbHandle } from "@/db/client";
import { recordStatement } from "@/db/statement-counter";

import type { ExportDataset } from "./datasets";

/** Rows per keyset page: each page is its own short statement, no transaction or cursor held between them. */
export const EXPORT_PAGE_SIZE = 1_000;

export interface ExportFilters {
  /** created_at ≥ from. */
  from?: Date;
  /** created_at < to. */
  to?: Date;
  status?: string;
}

/** Who the rows are read for: an admin's export (the dataset's admin condition) or one user's own rows. */
export type ExportScope = { kind: "admin" } | { kind: "own"; userId: string };

/** One row's values in the dataset's column order, as PostgreSQL rendered them (null: no value). */
export type ExportRow = (string | null)[];

interface Position {
  at: string;
  id: string;
}

/** The WHERE of one page: scope, filters, and the keyset position (created_at, id) after the last row read. */
function conditions(d: ExportDataset, scope: ExportScope, filters: ExportFilters, after: Position | null): SQL {
  const a = d.alias;
  const parts: SQL[] = [];
  if (scope.kind === "own") {
    if (!d.owner) throw new Error(`${d.name} is not in the own-data export`);
    parts.push(sql`${sql.raw(d.owner)} = ${scope.userId}::uuid`);
  } else if (d.adminWhere) parts.push(sql.raw(`(${d.adminWhere})`));
  if (filters.from) parts.push(sql`${sql.raw(a)}.created_at >= ${filters.from.toISOString()}::timestamptz`);
  if (filters.to) parts.push(sql`${sql.raw(a)}.created_at < ${filters.to.toISOString()}::timestamptz`);
  if (filters.status !== undefined) parts.push(sql`${sql.raw(a)}.status::text = ${filters.status}`);
  if (after) parts.push(sql`(${sql.raw(a)}.created_at, ${sql.raw(a)}.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  return parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``;
}

/** The SELECT list: the declared columns, then the page's keyset position at full precision. */
const selectList = (d: ExportDataset) => sql.raw([...d.columns.map((c) => `${c.sql} AS "${c.name}"`), `${d.alias}.created_at::text AS "__at"`, `${d.alias}.id::text AS "__id"`].join(", "));

const dialect = new PgDialect();

/**
 * A statement's rows as arrays (no object per row: an export reads millions), on either driver; the
 * slow-statement log and the statement counter see it like any other.
 */
async function arrayRows(query: SQL): Promise<ExportRow[]> {
  const handle = getDbHandle();
  const { sql: text, params } = dialect.sqlToQuery(query);
  recordStatement(text, params);
  if (handle.sql) return (await handle.sql.unsafe(text, params as never[]).values()) as unknown as ExportRow[];
  return (await handle.pglite!.query<ExportRow>(text, params, { rowMode: "array" })).rows;
}

/**
 * One keyset page, oldest first (created_at, id): equal timestamps are ordered by id, so no row is
 * lost or repeated at a page edge. Each row is its columns' values in declared order.
 */
export async function exportPage(d: ExportDataset, scope: ExportScope, filters: ExportFilters, after: Position | null, limit = EXPORT_PAGE_SIZE): Promise<{ rows: ExportRow[]; next: Position | null }> {
  const a = sql.raw(d.alias);
  const rows = await arrayRows(sql`SELECT ${selectList(d)} FROM ${sql.raw(d.from)} ${conditions(d, scope, filters, after)} ORDER BY ${a}.created_at, ${a}.id LIMIT ${limit}`);
  const last = rows[rows.length - 1];
  const next = rows.length === limit && last ? { at: last[d.columns.length]!, id: last[d.columns.length + 1]! } : null;
  // The keyset position's two trailing values are dropped in place (no copy of the row).
  for (const r of rows) r.length = d.columns.length;
  return { rows, next };
}

/** Every row of the export, a page at a time: the next page is read only when the consumer asks for more. */
export async function* exportRows(d: ExportDataset, scope: ExportScope, filters: ExportFilters, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportRow[]> {
  let after: Position | null = null;
  do {
    const page = await exportPage(d, scope, filters, after, pageSize);
    if (page.rows.length > 0) yield page.rows;
    after = page.next;
  } while (after);
}
