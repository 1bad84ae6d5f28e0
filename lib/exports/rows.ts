import "server-only";

import { sql, type SQL } from "drizzle-orm";

import { getDb, queryRows } from "@/db/client";

import type { ExportDataset } from "./datasets";

/** Rows per keyset page: each page is its own short statement, no transaction or cursor held between them. */
export const EXPORT_PAGE_SIZE = 2_000;

export interface ExportFilters {
  /** created_at ≥ from. */
  from?: Date;
  /** created_at < to. */
  to?: Date;
  status?: string;
}

/** Who the rows are read for: an admin's export (the dataset's admin condition) or one user's own rows. */
export type ExportScope = { kind: "admin" } | { kind: "own"; userId: string };

export type ExportRow = Record<string, string | null>;

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

/** One keyset page, oldest first (created_at, id): equal timestamps are ordered by id, so no row is lost or repeated at a page edge. */
export async function exportPage(d: ExportDataset, scope: ExportScope, filters: ExportFilters, after: Position | null, limit = EXPORT_PAGE_SIZE): Promise<{ rows: ExportRow[]; next: Position | null }> {
  const a = sql.raw(d.alias);
  const raw = await queryRows<ExportRow & { __at: string; __id: string }>(
    getDb(),
    sql`SELECT ${selectList(d)} FROM ${sql.raw(d.from)} ${conditions(d, scope, filters, after)} ORDER BY ${a}.created_at, ${a}.id LIMIT ${limit}`,
  );
  const last = raw[raw.length - 1];
  const next = raw.length === limit && last ? { at: last.__at, id: last.__id } : null;
  const rows = raw.map(({ __at: _at, __id: _id, ...row }) => row as ExportRow);
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
