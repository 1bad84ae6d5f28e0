import postgres from "postgres";

import { EXPECTED_MIGRATIONS, migrateDatabase } from "@/db/migrate";
import type { DbHandle } from "@/db/client";
import { envSchema } from "@/lib/config/env";

import { readSeedInfo, seed, type ScaleName, type SeedInfo } from "./seed";

/** A problem the user has to fix: printed as one line, exit code 1. */
export class BenchError extends Error {}

const databaseName = (url: URL) => decodeURIComponent(url.pathname.slice(1));

/**
 * The database the benchmark owns: BENCH_DATABASE_URL, or DATABASE_URL's server with `<name>_bench`.
 * The database named in DATABASE_URL itself is never used.
 */
export function benchDatabaseUrl(databaseUrl: string | undefined, override: string | undefined): string {
  if (!databaseUrl && !override) {
    throw new BenchError(
      "npm run bench needs DATABASE_URL pointing at PostgreSQL (e.g. postgres://postgres:postgres@127.0.0.1:5432/nwu); it works in a separate <name>_bench database",
    );
  }
  if (override && !envSchema.in.shape.DATABASE_URL.safeParse(override).success) {
    throw new BenchError("BENCH_DATABASE_URL must be a URL like postgres://user:password@host:5432/database");
  }
  const url = new URL(override ?? databaseUrl!);
  if (!override) url.pathname = `/${encodeURIComponent(`${databaseName(url)}_bench`)}`;
  if (databaseUrl) {
    const app = new URL(databaseUrl);
    if (app.host === url.host && databaseName(app) === databaseName(url)) {
      throw new BenchError("BENCH_DATABASE_URL must name a database other than the one in DATABASE_URL");
    }
  }
  return url.toString();
}

/** Creates the bench database if missing, through the server's `postgres` maintenance database. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(new URL(url));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [present] = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!present) {
      await sql`CREATE DATABASE ${sql(name)}`;
      console.log(`created database ${name}`);
    }
  } finally {
    await sql.end();
  }
}

/**
 * Makes the bench database hold the project's schema and data at `scale`. An existing seed at the
 * same scale and migration count is kept (unless `reseed`); otherwise everything is dropped,
 * migrated afresh and seeded.
 */
export async function prepareDatabase(handle: DbHandle, scale: ScaleName, reseed: boolean): Promise<SeedInfo> {
  const sql = handle.sql!;
  const current = await readSeedInfo(sql);
  if (!reseed && current?.scale === scale && current.migrations === EXPECTED_MIGRATIONS) {
    console.log(`bench database already seeded at scale ${scale} (${current.seededAt}); --reseed rebuilds it`);
    return current;
  }
  await sql.unsafe(`
    DROP SCHEMA IF EXISTS bench CASCADE;
    DROP SCHEMA IF EXISTS drizzle CASCADE;
    DROP SCHEMA public CASCADE;
    CREATE SCHEMA public;
  `);
  await migrateDatabase(handle);
  console.log(`schema reset, ${EXPECTED_MIGRATIONS} migration(s) applied`);
  return seed(sql, scale);
}
