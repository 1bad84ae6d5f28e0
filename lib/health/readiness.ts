import "server-only";

import { sql } from "drizzle-orm";

import { getDbHandle, queryRows, type Driver } from "@/db/client";
import { describeDbError } from "@/db/errors";
import { EXPECTED_MIGRATIONS, appliedMigrations } from "@/db/migrate";

export interface DatabaseCheck {
  ok: boolean;
  driver: Driver;
  latencyMs: number;
  migrations?: { applied: number; expected: number };
  reason?: string;
}

export interface Readiness {
  status: "ok" | "unavailable";
  checks: { database: DatabaseCheck };
}

// A readiness probe must answer fast even when the database hangs (black-holed network). The
// embedded database cannot hang that way, but its first open (WASM start) takes a few seconds.
const CHECK_TIMEOUT_MS = { postgres: 2_000, pglite: 15_000 } as const;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkDatabase(): Promise<DatabaseCheck> {
  const started = performance.now();
  const handle = getDbHandle();
  try {
    const applied = await withTimeout(
      (async () => {
        await queryRows(handle.db, sql`SELECT 1 AS ok`);
        return appliedMigrations(handle);
      })(),
      CHECK_TIMEOUT_MS[handle.driver],
      "database",
    );
    const latencyMs = Math.round(performance.now() - started);
    const migrations = { applied, expected: EXPECTED_MIGRATIONS };
    if (applied < EXPECTED_MIGRATIONS) {
      return { ok: false, driver: handle.driver, latencyMs, migrations, reason: `migrations pending: ${applied} of ${EXPECTED_MIGRATIONS} applied (run npm run db:migrate)` };
    }
    return { ok: true, driver: handle.driver, latencyMs, migrations };
  } catch (error) {
    return {
      ok: false,
      driver: handle.driver,
      latencyMs: Math.round(performance.now() - started),
      reason: `database unreachable: ${describeDbError(error)}`,
    };
  }
}

export async function checkReadiness(): Promise<Readiness> {
  const database = await checkDatabase();
  return { status: database.ok ? "ok" : "unavailable", checks: { database } };
}
