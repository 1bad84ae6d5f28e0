import "server-only";

import path from "node:path";

import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";

import journal from "./migrations/meta/_journal.json";
import { queryRows, type DbHandle } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
export const EXPECTED_MIGRATIONS = journal.entries.length;

// Any constant works; it only has to be the same in every instance that may migrate at once.
const MIGRATION_LOCK = 727_001;

/** Applies the committed drizzle-kit migrations. Safe to run from several instances at once. */
export async function migrateDatabase(handle: DbHandle): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // The lock is held on a reserved connection while drizzle migrates on the pool.
  const reserved = await handle.sql!.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    reserved.release();
  }
}

/** How many migrations the database records as applied (0 on an empty database). */
export async function appliedMigrations(handle: DbHandle): Promise<number> {
  const [exists] = await queryRows<{ present: boolean }>(
    handle.db,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists?.present) return 0;
  const [row] = await queryRows<{ n: number | string }>(handle.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
  return Number(row?.n ?? 0);
}
