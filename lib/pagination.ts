import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";

import { BadRequestError } from "@/lib/errors";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export const limitSchema = z.coerce
  .number({ error: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  .int({ error: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  .min(1, { error: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  .max(MAX_LIMIT, { error: `limit must be at most ${MAX_LIMIT}` })
  .default(DEFAULT_LIMIT);

/**
 * Keyset position of the last row of a page: its created_at as PostgreSQL's own text (microsecond
 * precision survives; a JS Date would truncate to milliseconds and repeat rows) and its id.
 */
export interface Cursor {
  createdAt: string;
  id: string;
  /** Read the rows newer than this position (a Previous link) instead of the older ones. */
  back?: true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c.back ? [c.createdAt, c.id, 1] : [c.createdAt, c.id])).toString("base64url");
}

/** A cursor from a URL; `back` ones only where the list reads both ways (`backward`: pages, never the API). */
export function decodeCursor(raw: string | null | undefined, backward = false): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const [createdAt, id, back] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [unknown, unknown, unknown];
    if (back !== undefined && (back !== 1 || !backward)) throw new Error("bad");
    if (typeof createdAt !== "string" || !TIMESTAMP.test(createdAt) || typeof id !== "string" || !UUID.test(id)) throw new Error("bad");
    // Well-formed is not enough: "0000-00-00 00:00:00" must not reach PostgreSQL (it would refuse it).
    const at = Date.parse(createdAt.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"));
    if (Number.isNaN(at) || at < Date.UTC(2000, 0, 1) || at > Date.UTC(9999, 0, 1)) throw new Error("bad");
    return back === 1 ? { createdAt, id, back: true } : { createdAt, id };
  } catch {
    throw new BadRequestError("Invalid cursor");
  }
}

/** The column to select alongside each row so its cursor keeps full precision. */
export const cursorText = (column: AnyColumn) => sql<string>`${column}::text`;

/** `(created_at, id) < cursor`: newest-first keyset condition, served by a (…, created_at, id) index. */
export function before(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor): SQL {
  return sql`(${createdAt}, ${id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
}

/** `(created_at, id) > cursor`: oldest-first. */
export function after(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor): SQL {
  return sql`(${createdAt}, ${id}) > (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
}

/**
 * A keyset condition and order for a cursor read either way: older than it (newest first) or, for a
 * Previous link, newer than it (oldest first — the nearest newer rows — then reversed by toPage).
 */
export function keyset(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor | undefined): { where: SQL | undefined; orderBy: SQL } {
  return cursor?.back
    ? { where: after(createdAt, id, cursor), orderBy: sql`${createdAt} ASC, ${id} ASC` }
    : { where: cursor && before(createdAt, id, cursor), orderBy: sql`${createdAt} DESC, ${id} DESC` };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** The cursor of a Previous link (`back`), null on the first page; lists without one leave it out. */
  prevCursor?: string | null;
}

type CursorRow = { id: string } & ({ cursorAt: string } | { cursor_at: string });

const cursorOf = (row: CursorRow | undefined, back?: true): string | null =>
  row ? encodeCursor({ createdAt: "cursorAt" in row ? row.cursorAt : row.cursor_at, id: row.id, back }) : null;

/**
 * Rows fetched with `limit + 1`: the extra one only says whether a further page exists. The cursor
 * column is `cursorAt` (drizzle selects) or `cursor_at` (raw SQL rows already in the API's shape).
 * With the `cursor` the rows were read from, the page also carries its Previous cursor.
 */
export function toPage<R extends CursorRow, T>(rows: R[], limit: number, map: (row: R) => T, cursor?: Cursor): Page<T> {
  const more = rows.length > limit;
  if (cursor?.back) {
    // Read oldest first from the cursor: the page is those rows newest first, and "more" means newer ones.
    const kept = rows.slice(0, limit).reverse();
    return { items: kept.map(map), nextCursor: cursorOf(kept[kept.length - 1]) ?? encodeCursor({ createdAt: cursor.createdAt, id: cursor.id }), prevCursor: more ? cursorOf(kept[0], true) : null };
  }
  const kept = rows.slice(0, limit);
  const page = { items: kept.map(map), nextCursor: more ? cursorOf(kept[kept.length - 1]) : null };
  // Any page reached through a cursor has newer rows before it (the cursor's own row at least).
  return cursor ? { ...page, prevCursor: cursorOf(kept[0], true) ?? encodeCursor({ ...cursor, back: true }) } : page;
}

/** Totals are counted up to this many rows (a capped count stays cheap on a table of millions). */
export const TOTAL_CAP = 10_000;

/** `count(*)` of a list's rows, stopping at TOTAL_CAP + 1: `from` is the FROM … WHERE … of the list. */
export const cappedCount = (from: SQL): SQL => sql`SELECT count(*)::int AS n FROM (SELECT 1 ${from} LIMIT ${TOTAL_CAP + 1}) capped`;

/** "1,234 contributions", or "10,000+ contributions" past the cap. */
export function formatTotal(total: number, noun: string): string {
  const shown = total > TOTAL_CAP ? `${TOTAL_CAP.toLocaleString("en-US")}+` : total.toLocaleString("en-US");
  return `${shown} ${noun}${total === 1 ? "" : "s"}`;
}
