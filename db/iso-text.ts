import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * A timestamp as JavaScript's `toISOString()` writes it ("2026-11-29T08:02:03.369Z"), formatted by
 * PostgreSQL: hot lists select it so their rows need no Date parsing and re-formatting per column.
 */
export const isoText = (column: AnyColumn | SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
