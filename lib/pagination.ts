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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString("base64url");
}

export function decodeCursor(raw: string | null | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof createdAt !== "string" || !TIMESTAMP.test(createdAt) || typeof id !== "string" || !UUID.test(id)) throw new Error("bad");
    // Well-formed is not enough: "0000-00-00 00:00:00" must not reach PostgreSQL (it would refuse it).
    const at = Date.parse(createdAt.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"));
    if (Number.isNaN(at) || at < Date.UTC(2000, 0, 1) || at > Date.UTC(9999, 0, 1)) throw new Error("bad");
    return { createdAt, id };
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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Rows fetched with `limit + 1`: the extra one only says whether a next page exists. The cursor
 * column is `cursorAt` (drizzle selects) or `cursor_at` (raw SQL rows already in the API's shape).
 */
export function toPage<R extends { id: string } & ({ cursorAt: string } | { cursor_at: string }), T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  const createdAt = last && ("cursorAt" in last ? last.cursorAt : last.cursor_at);
  return { items: kept.map(map), nextCursor: rows.length > limit && last && createdAt ? encodeCursor({ createdAt, id: last.id }) : null };
}
