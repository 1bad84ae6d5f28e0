/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new PostgreSQL database
 * created beside the one in DATABASE_URL (dropped afterwards). The app's own `getDb()` then points
 * at it, so tests exercise the real data layer with nothing stubbed.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";

import { closeDb, getDbHandle, type DbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { resetEnvCache } from "@/lib/config/env";
import { stopIpfs } from "@/lib/ipfs/node";
import { sleep } from "@/lib/sleep";

import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

export const TEST_DRIVER = (process.env.NWU_TEST_DRIVER ?? "pglite") as "pglite" | "postgres";

export function adminUrl(): string {
  const url = process.env.NWU_TEST_ADMIN_URL;
  if (!url) throw new Error("NWU_TEST_ADMIN_URL is not set (the postgres test project sets it from DATABASE_URL)");
  return url;
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function createPostgresDatabase(prefix = "nwu_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabaseName(adminUrl(), name),
    drop: async () => {
      const a = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      try {
        // WITH (FORCE) cannot end an autovacuum worker (a superuser's process) as a non-superuser:
        // PostgreSQL answers 42501 while one is in the database. It finishes within moments: retry.
        for (let attempt = 1; ; attempt++) {
          try {
            await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== "42501" || attempt >= 20) throw error;
            await sleep(250);
          }
        }
      } finally {
        await a.end();
      }
    },
  };
}

/** Points the app's configuration at a fresh empty database and data folder; returns its cleanup. */
export async function useFreshDatabaseEnv(): Promise<() => Promise<void>> {
  await closeDb();
  await stopIpfs();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-test-"));
  process.env.DATA_DIR = dataDir;
  const removeData = async () => {
    await stopIpfs();
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (TEST_DRIVER === "postgres") {
    const created = await createPostgresDatabase();
    process.env.DATABASE_URL = created.url;
    resetEnvCache();
    return async () => {
      await closeDb();
      await created.drop();
      await removeData();
    };
  }
  process.env.DATABASE_URL = "";
  process.env.PGLITE_DATA_DIR = "memory://";
  resetEnvCache();
  return async () => {
    await closeDb();
    await removeData();
  };
}

/** Registers hooks giving this file a fresh migrated database; read `.handle` inside tests. */
export function setupTestDatabase(options: { migrate?: boolean } = {}): { readonly handle: DbHandle } {
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    cleanup = await useFreshDatabaseEnv();
    if (options.migrate !== false) await migrateDatabase(getDbHandle());
  });
  afterAll(async () => {
    await cleanup?.();
  });
  return {
    get handle() {
      return getDbHandle();
    },
  };
}

/**
 * PostgreSQL only: a fresh database the app reaches through a TCP proxy the test can cut (`down()`)
 * and restore (`up()`), like an outage. `env` is set for the file and removed afterwards.
 */
export function setupProxiedPostgres(env: Record<string, string> = {}): { proxy: () => TcpProxy } {
  let proxy: TcpProxy | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const target = new URL(created.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.hostname = "127.0.0.1";
    target.port = String(proxy.port);
    Object.assign(process.env, env, { DATABASE_URL: target.toString() });
    resetEnvCache();
    await migrateDatabase(getDbHandle());
  });
  afterAll(async () => {
    await closeDb();
    await proxy?.close();
    await drop?.();
    for (const k of Object.keys(env)) delete process.env[k];
    resetEnvCache();
  });
  return { proxy: () => proxy! };
}

/** The standby of the test cluster (.ci/run makes one): its URL, and its Debian cluster ("15 replica"). */
export function replicaSettings(): { url: string; cluster: string[] } {
  const url = process.env.NWU_TEST_REPLICA_URL;
  const cluster = process.env.NWU_TEST_REPLICA_CLUSTER;
  if (!url || !cluster) throw new Error("NWU_TEST_REPLICA_URL and NWU_TEST_REPLICA_CLUSTER are not set (the replica test project sets them)");
  return { url, cluster: cluster.split(/\s+/) };
}

/**
 * PostgreSQL with its streaming replica: a fresh database on the primary, which the standby
 * replays; the app is configured with both (`env` too, for the file). `primary()` and `replica()`
 * are clients of the test's own, outside the app (another instance's writes; pausing replay).
 */
export function setupReplicatedPostgres(env: Record<string, string> = {}): { primary: () => postgres.Sql; replica: () => postgres.Sql; replicaUrl: () => string } {
  let created: { url: string; drop: () => Promise<void> } | undefined;
  let primary: postgres.Sql | undefined;
  let replica: postgres.Sql | undefined;
  let replicaUrl = "";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-test-"));
  beforeAll(async () => {
    await closeDb();
    created = await createPostgresDatabase();
    replicaUrl = withDatabaseName(replicaSettings().url, new URL(created.url).pathname.slice(1));
    Object.assign(process.env, env, { DATA_DIR: dataDir, DATABASE_URL: created.url, DATABASE_REPLICA_URLS: replicaUrl });
    resetEnvCache();
    primary = postgres(created.url, { max: 2, onnotice: () => {} });
    replica = postgres(replicaUrl, { max: 2, onnotice: () => {} });
    await migrateDatabase(getDbHandle());
  });
  afterAll(async () => {
    await closeDb();
    await replica?.unsafe("SELECT pg_wal_replay_resume()").catch(() => {});
    await Promise.all([primary?.end(), replica?.end()]);
    await created?.drop();
    await stopIpfs();
    rmSync(dataDir, { recursive: true, force: true });
    for (const k of [...Object.keys(env), "DATABASE_REPLICA_URLS"]) delete process.env[k];
    resetEnvCache();
  });
  return { primary: () => primary!, replica: () => replica!, replicaUrl: () => replicaUrl };
}
