import type { Sql } from "postgres";

import { closeDb } from "@/db/client";
import type { RecordedStatement } from "@/db/statement-counter";
import { resetEnvCache } from "@/lib/config/env";

import { scanKinds, type BenchContext } from "./harness";

/**
 * Points the app's own database client (`getDb()`, used by route handlers and lib functions) at
 * the bench database, so scenarios measure the app's real code on the seeded data — without the
 * query cache (the load scenario measures that through servers).
 */
export async function pointAppAt(ctx: BenchContext): Promise<void> {
  process.env.DATABASE_URL = ctx.databaseUrl;
  process.env.DB_STATEMENT_TIMEOUT_MS = "600000";
  // In-process scenarios measure the statements (app vs bare SQL): a cache hit would measure nothing.
  process.env.CACHE_MAX_STALENESS_MS = "0";
  resetEnvCache();
  await closeDb();
}

/** Scan kinds of a recorded statement (text + parameters), via EXPLAIN without running it. */
export async function explainScansText(sql: Sql, statement: RecordedStatement): Promise<string[]> {
  const [row] = await sql.unsafe(`EXPLAIN (ANALYZE false, FORMAT JSON) ${statement.text}`, statement.params as never[]);
  return scanKinds((row as unknown as { "QUERY PLAN": { Plan: Parameters<typeof scanKinds>[0] }[] })["QUERY PLAN"][0]!.Plan);
}
