import "server-only";

import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

import { getDbHandle } from "@/db/client";
import { recordStatement } from "@/db/statement-counter";

import type { ExportDataset } from "./datasets";
import { csvRowSql, jsonLateralSql } from "./encode";

/** Rows per keyset page: each page is its own short statement, no transaction or cursor held between them. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportFilters {
  /** created_at ≥ from. */
  from?: Date;
  /** created_at < to. */
  to?: Date;
  status?: string;
}

/** Who the rows are read for: an admin's export (the dataset's admin condition) or one user's own rows. */
export type ExportScope = { kind: "admin" } | { kind: "own"; userId: string };

/**
 * How PostgreSQL writes a page: CSV rows (each CRLF-terminated), NDJSON lines (each LF-terminated),
 * or JSON objects joined by commas (the inside of a JSON array, for the own-data download).
 */
export type PageEncoding = "csv" | "ndjson" | "json-array";

export interface Position {
  at: string;
  id: string;
}

export interface ExportPage {
  /** The page's rows encoded as one text, as its UTF-8 bytes (empty when the page is empty). */
  body: Uint8Array;
  /** How many rows it holds. */
  rows: number;
  /** Where the next page starts (null: this was the last). */
  next: Position | null;
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

/** The page CTE's SELECT list: the declared columns as c0…cN (text), then the keyset position. */
const selectList = (d: ExportDataset) => sql.raw([...d.columns.map((c, i) => `${c.sql} AS c${i}`), `${d.alias}.created_at AS k_at`, `${d.alias}.id AS k_id`].join(", "));

/** The outer SELECT's row text and the separator string_agg puts between rows, per encoding. */
function encoder(d: ExportDataset, encoding: PageEncoding): { line: string; from: string; separator: string } {
  if (encoding === "csv") return { line: csvRowSql(d.columns), from: "page", separator: "''" };
  const from = `page CROSS JOIN LATERAL ${jsonLateralSql(d.columns)}`;
  return encoding === "ndjson" ? { line: `row_to_json(j)::text || E'\\n'`, from, separator: "''" } : { line: "row_to_json(j)::text", from, separator: "','" };
}

const dialect = new PgDialect();

/** The page's one result row: its text as bytes, how many rows, the last row's keyset position. */
interface PageRow {
  body: Uint8Array;
  rows: number;
  at: string | null;
  id: string | null;
}

const encoder8 = new TextEncoder();
const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8"));

/**
 * The page's one result row, on either driver; the slow-statement log and the statement counter see it
 * like any other. postgres.js hands the body over as the very bytes PostgreSQL sent (raw: no string is
 * made of it, nor bytes again of that string); PGlite's string is encoded once.
 */
async function pageRow(query: SQL): Promise<PageRow> {
  const handle = getDbHandle();
  const { sql: statement, params } = dialect.sqlToQuery(query);
  recordStatement(statement, params);
  if (handle.sql) {
    const [r] = (await handle.sql.unsafe(statement, params as never[]).raw()) as unknown as (Uint8Array | null)[][];
    const [body, rows, at, id] = r!;
    return { body: body ?? new Uint8Array(0), rows: Number(text(rows ?? null)), at: text(at ?? null), id: text(id ?? null) };
  }
  const [r] = (await handle.pglite!.query<{ body: string | null; rows: number; at: string | null; id: string | null }>(statement, params)).rows;
  return { body: encoder8.encode(r!.body ?? ""), rows: Number(r!.rows), at: r!.at, id: r!.id };
}

/**
 * One keyset page, oldest first (created_at, id): equal timestamps are ordered by id, so no row is
 * lost or repeated at a page edge. PostgreSQL reads the page's rows (a CTE, materialized so each value
 * is computed once), encodes each and joins them into one text, and returns with it how many rows it
 * holds and the last row's (created_at, id) at full precision.
 */
export async function exportPage(d: ExportDataset, scope: ExportScope, filters: ExportFilters, after: Position | null, limit = EXPORT_PAGE_SIZE, encoding: PageEncoding = "ndjson"): Promise<ExportPage> {
  const a = sql.raw(d.alias);
  const { line, from, separator } = encoder(d, encoding);
  const row = await pageRow(
    sql`WITH page AS MATERIALIZED (SELECT ${selectList(d)} FROM ${sql.raw(d.from)} ${conditions(d, scope, filters, after)} ORDER BY ${a}.created_at, ${a}.id LIMIT ${limit})
        SELECT string_agg(${sql.raw(line)}, ${sql.raw(separator)} ORDER BY page.k_at, page.k_id) AS body, count(*)::int AS rows,
          (array_agg(page.k_at::text ORDER BY page.k_at DESC, page.k_id DESC))[1] AS at, (array_agg(page.k_id::text ORDER BY page.k_at DESC, page.k_id DESC))[1] AS id
        FROM ${sql.raw(from)}`,
  );
  const next = row.rows === limit && row.at !== null && row.id !== null ? { at: row.at, id: row.id } : null;
  return { body: row.body, rows: row.rows, next };
}

/** Every page of the export: the next page is read only when the consumer asks for more. */
export async function* exportPages(d: ExportDataset, scope: ExportScope, filters: ExportFilters, encoding: PageEncoding, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportPage> {
  let after: Position | null = null;
  do {
    const page = await exportPage(d, scope, filters, after, pageSize, encoding);
    if (page.rows > 0) yield page;
    after = page.next;
  } while (after);
}
