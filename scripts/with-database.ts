import { sql } from "drizzle-orm";

import { closeDb, getDbHandle, type DbHandle } from "@/db/client";
import { describeDbError } from "@/db/errors";
import { loadEnvOrExit } from "@/lib/config/env";
// Writes the slow-statement lines the database publishes (db/ never imports lib/).
import "@/lib/log";

/**
 * Runs a maintenance step (migrate, seed…) against the configured database. Any failure to reach
 * it is reported as one line naming DATABASE_URL (or the data folder) and exit code 1.
 */
export async function withDatabase(step: (handle: DbHandle) => Promise<void>): Promise<void> {
  const env = loadEnvOrExit();
  const handle = getDbHandle();
  try {
    await handle.db.execute(sql`SELECT 1`);
  } catch (error) {
    const where = env.DATABASE_URL ? "DATABASE_URL" : "DATA_DIR (embedded PGlite)";
    console.error(`Configuration error: ${where} cannot be used: ${describeDbError(error)}`);
    await closeDb().catch(() => {});
    process.exit(1);
  }
  try {
    await step(handle);
  } catch (error) {
    console.error(`Database step failed: ${describeDbError(error)}`);
    await closeDb().catch(() => {});
    process.exit(1);
  }
  await closeDb();
}
