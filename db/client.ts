import "server-only";

import { mkdirSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { fillPlaceholders, getTableName, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";

import { databaseSettings, type DatabaseSettings } from "./config";
import { currentReadScope, outsideReadScope } from "./read-scope";
import { ReplicaSet } from "./replicas";
import * as schema from "./schema";
import { timePglite, timePostgres } from "./slow-statements";
import { recordStatement } from "./statement-counter";
import { onWrites } from "./write-watch";

/**
 * The one database type the app codes against. PGlite's drizzle database has the same query API;
 * only raw `execute` results differ in shape, which `queryRows` hides.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Driver = "postgres" | "pglite";

export interface DbHandle {
  db: Db;
  driver: Driver;
  /** postgres.js client when driver is postgres (for LISTEN/NOTIFY and the benchmark floor). */
  sql?: postgres.Sql;
  pglite?: PGlite;
  /** Streaming replicas (DATABASE_REPLICA_URLS), when configured. */
  replicas?: ReplicaSet;
  close(): Promise<void>;
}

const logger = { logQuery: (query: string, params: unknown[]) => recordStatement(query, params) };

export function openDatabase(env: DatabaseSettings = databaseSettings()): DbHandle {
  if (env.DATABASE_URL) {
    const client = postgresClient(env, env.DATABASE_URL, "nwu-protocol");
    // Slow statements are logged; a statement gets no answer past its own timeout plus a connect
    // timeout, whatever happens to the network.
    const sql = timed(client, env);
    const db = drizzlePostgres({ client: sql, schema, logger });
    const replicas = env.DATABASE_REPLICA_URLS.length ? openReplicas(env, sql) : undefined;
    return {
      db,
      driver: "postgres",
      sql,
      ...(replicas ? { replicas } : {}),
      close: async () => {
        await replicas?.close();
        await client.end({ timeout: 5 });
      },
    };
  }
  const dir = pgliteDir(env);
  if (dir !== "memory://") mkdirSync(path.dirname(dir), { recursive: true });
  const raw = new PGlite(dir, { extensions: { pg_trgm } });
  // Always wrapped: the wrapper also reports writes to db/write-watch (the cache's own invalidation).
  const pglite = timePglite(raw, env.SLOW_QUERY_MS);
  // PGlite runs queries one at a time in order, so this applies before anything else.
  void pglite.exec(`SET statement_timeout = ${env.DB_STATEMENT_TIMEOUT_MS}`);
  const db = drizzlePglite({ client: pglite, schema, logger }) as unknown as Db;
  return { db, driver: "pglite", pglite, close: () => pglite.close() };
}

function postgresClient(env: DatabaseSettings, url: string, applicationName: string): postgres.Sql {
  return postgres(url, {
    max: env.DB_POOL_MAX,
    connect_timeout: env.DB_CONNECT_TIMEOUT_S,
    idle_timeout: 60,
    max_lifetime: 60 * 30,
    onnotice: () => {},
    connection: { statement_timeout: env.DB_STATEMENT_TIMEOUT_MS, application_name: applicationName },
    // Reconnect quickly (at most 1 s apart) after an outage: postgres.js's default backoff grows to
    // 20 s, and queries waiting for a connection wait that long — long past "fail fast, recover fast".
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
}

const timed = (client: postgres.Sql, env: DatabaseSettings) => timePostgres(client, env.SLOW_QUERY_MS, env.DB_STATEMENT_TIMEOUT_MS + env.DB_CONNECT_TIMEOUT_S * 1000 + 1000);

// Bookkeeping of requests themselves — sessions, nonces, rate limits, usage, jobs, the read floor
// of keys —, which no read on a replica shows: writing them neither pins a request's reads to the
// primary nor makes replicas wait for a newer sample.
const UNSEEN_ON_REPLICAS = new Set<string>(
  [schema.sessions, schema.authNonces, schema.rateLimitBuckets, schema.usageRecords, schema.apiUsagePeriods, schema.jobs, schema.apiKeys].map((t) => getTableName(t)),
);
const seenOnReplicas = (tables: readonly string[]) => tables.some((t) => !UNSEEN_ON_REPLICAS.has(t));

function openReplicas(env: DatabaseSettings, primary: postgres.Sql): ReplicaSet {
  let stop = () => {};
  const replicas = new ReplicaSet(primary, {
    urls: env.DATABASE_REPLICA_URLS,
    maxLagMs: env.REPLICA_MAX_LAG_MS,
    checkMs: env.REPLICA_CHECK_MS,
    client: (url) => timed(postgresClient(env, url, "nwu-protocol-replica"), env),
    database: (client) => drizzlePostgres({ client, schema, logger }),
    release: () => stop(),
  });
  stop = onWrites({
    started(tables) {
      const scope = currentReadScope();
      if (scope && seenOnReplicas(tables)) scope.wrote = true;
    },
    ended(tables) {
      if (seenOnReplicas(tables)) replicas.noteChange();
    },
  });
  // Its timer outlives the request that happened to open the database.
  return outsideReadScope(() => replicas.start());
}

export function pgliteDir(env: DatabaseSettings): string {
  return env.PGLITE_DATA_DIR ?? path.resolve(env.DATA_DIR, "pglite");
}

const globalForDb = globalThis as unknown as { __nwuDb?: DbHandle };

/** The process-wide database (kept on globalThis so `next dev` reloads reuse one pool). */
export function getDbHandle(): DbHandle {
  globalForDb.__nwuDb ??= openDatabase();
  return globalForDb.__nwuDb;
}

export function getDb(): Db {
  return getDbHandle().db;
}

/**
 * Where a read-only statement of the current request goes: a replica when the request's scope
 * allows one (db/read-scope.ts) and one has replayed far enough, else the primary. Only for reads
 * that are no lookup of who is asking (sessions, keys stay on the primary: revocation is immediate).
 */
function readTarget(handle: DbHandle): { db: Db; sql?: postgres.Sql } {
  if (!handle.replicas) return handle;
  const scope = currentReadScope();
  if (!scope?.replica || scope.wrote) return handle;
  return handle.replicas.pick(scope.floor) ?? handle;
}

export function getReadDb(): Db {
  return readTarget(getDbHandle()).db;
}

/**
 * The primary's WAL position now — after a request's writes committed, a position replicas must
 * replay before its principal reads from them. undefined without replicas (nothing to wait for).
 */
export async function primaryWalLsn(): Promise<string | undefined> {
  const handle = getDbHandle();
  if (!handle.replicas || !handle.sql) return undefined;
  const [row] = await handle.sql.unsafe<{ lsn: string }[]>("SELECT pg_current_wal_lsn()::text AS lsn");
  return row?.lsn;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.__nwuDb;
  globalForDb.__nwuDb = undefined;
  await handle?.close();
}

const renderer = new PgDialect();

/**
 * Rows of a raw SQL statement run as a server-side prepared statement (hot paths: parse and plan
 * once per connection). PostgreSQL only; PGlite runs it as a plain statement. Counted like drizzle's.
 */
export async function queryRowsPrepared<T extends object>(query: SQL, values: Record<string, unknown> = {}, options: { read?: true } = {}): Promise<T[]> {
  const handle = getDbHandle();
  let rendered = renderedQueries.get(query);
  if (!rendered) renderedQueries.set(query, (rendered = renderer.sqlToQuery(query)));
  const params = fillPlaceholders(rendered.params, values);
  const sql = options.read ? readTarget(handle).sql : handle.sql;
  if (!sql) return pgliteRows<T>(handle, rendered.sql, params);
  recordStatement(rendered.sql, params);
  return (await sql.unsafe(rendered.sql, params as never[], { prepare: true })) as unknown as T[];
}

/** Queries built once at module level (with sql.placeholder) are rendered to text once. */
const renderedQueries = new WeakMap<SQL, { sql: string; params: unknown[] }>();

async function pgliteRows<T>(handle: DbHandle, text: string, params: unknown[]): Promise<T[]> {
  recordStatement(text, params);
  return (await handle.pglite!.query<T>(text, params)).rows;
}

/** Rows of a raw `db.execute(sql)` on either driver. */
export async function queryRows<T extends object>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
