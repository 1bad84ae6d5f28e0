import "server-only";

import { sql } from "drizzle-orm";

import { getDbHandle, queryRows, type Driver } from "@/db/client";
import { describeDbError } from "@/db/errors";
import type { ReplicaState } from "@/db/replicas";
import { EXPECTED_MIGRATIONS, appliedMigrations } from "@/db/migrate";
import { rpcBreakerState } from "@/lib/chain/rpc";
import { getEnv } from "@/lib/config/env";
import { getIpfs } from "@/lib/ipfs/node";
import { payoutConfig, payoutsEnabled } from "@/lib/rewards/payout-config";
import { llmBreakerState } from "@/lib/verification/agents/llm";

import { CID } from "multiformats/cid";

// The CID of the empty raw block (sha2-256 of no bytes): a lookup the blockstore answers from disk.
const EMPTY_RAW_BLOCK = CID.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

export interface DatabaseCheck {
  ok: boolean;
  driver: Driver;
  latencyMs: number;
  migrations?: { applied: number; expected: number };
  reason?: string;
}

export interface IpfsCheck {
  ok: boolean;
  latencyMs: number;
  network: "off" | "on";
  reason?: string;
}

export interface JobsCheck {
  ok: boolean;
  /** Age of the oldest job that is due and not yet taken: how far behind the workers are. */
  lagSeconds: number;
  queued: number;
  running: number;
  dead: number;
  reason?: string;
}

type Service = { configured: boolean; circuit?: "closed" | "open" | "half-open" };

export interface Readiness {
  /** unavailable (503): this instance cannot serve; degraded (200): it serves, something needs a look. */
  status: "ok" | "degraded" | "unavailable";
  checks: { database: DatabaseCheck; ipfs: IpfsCheck; jobs?: JobsCheck; replicas?: ReplicaState[] };
  services: { stripe: Service; chain: Service; llm: Service };
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

export async function checkIpfs(): Promise<IpfsCheck> {
  const started = performance.now();
  const network = getEnv().IPFS_NETWORK;
  try {
    await withTimeout(
      (async () => {
        const node = await getIpfs();
        await node.blockstore.has(EMPTY_RAW_BLOCK);
      })(),
      5_000,
      "IPFS node",
    );
    return { ok: true, latencyMs: Math.round(performance.now() - started), network };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), network, reason: `IPFS node unavailable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Lag above this is reported (status degraded): the workers are not keeping up, or none runs. */
const JOB_LAG_WARN_SECONDS = 300;

export async function checkJobs(): Promise<JobsCheck> {
  const [row] = await queryRows<{ lag: number | string | null; queued: number | string; running: number | string; dead: number | string }>(
    getDbHandle().db,
    sql`SELECT extract(epoch FROM now() - min(run_at) FILTER (WHERE status = 'queued' AND run_at <= now()))::float8 AS lag,
               count(*) FILTER (WHERE status = 'queued')::int AS queued,
               count(*) FILTER (WHERE status = 'running')::int AS running,
               count(*) FILTER (WHERE status = 'dead')::int AS dead
        FROM jobs WHERE status IN ('queued', 'running', 'dead')`,
  );
  const lagSeconds = Math.max(0, Math.round(Number(row?.lag ?? 0)));
  const ok = lagSeconds <= JOB_LAG_WARN_SECONDS;
  return {
    ok,
    lagSeconds,
    queued: Number(row?.queued ?? 0),
    running: Number(row?.running ?? 0),
    dead: Number(row?.dead ?? 0),
    ...(ok ? {} : { reason: `the oldest due job has waited ${lagSeconds} s (workers behind, or none running: WORKERS=off needs npm run worker)` }),
  };
}

function services(): Readiness["services"] {
  const env = getEnv();
  const payouts = payoutConfig(env);
  return {
    stripe: { configured: !!env.STRIPE_SECRET_KEY },
    chain: payoutsEnabled(payouts) ? { configured: true, circuit: rpcBreakerState(payouts.rpcUrl) } : { configured: false },
    llm: env.LLM_BASE_URL && env.LLM_API_KEY && env.LLM_MODEL ? { configured: true, circuit: llmBreakerState() } : { configured: false },
  };
}

/**
 * Readiness of this instance: the database (reachable, migrated) and the IPFS node must work; job
 * lag and open circuits of optional services only mark it degraded.
 */
export async function checkReadiness(): Promise<Readiness> {
  const [database, ipfs] = await Promise.all([checkDatabase(), checkIpfs()]);
  const jobs = database.ok ? await checkJobs().catch(() => undefined) : undefined;
  const svc = services();
  // Replicas out of rotation cost capacity, never answers: the primary serves their reads.
  const replicas = getDbHandle().replicas?.state();
  const replicasOut = replicas?.some((r) => !r.inRotation) ?? false;
  // Half-open is still failing: no call has succeeded since the circuit opened.
  const circuitsOpen = Object.values(svc).some((s) => s.circuit !== undefined && s.circuit !== "closed");
  const status = !database.ok || !ipfs.ok ? "unavailable" : (jobs && !jobs.ok) || circuitsOpen || replicasOut ? "degraded" : "ok";
  return { status, checks: { database, ipfs, ...(jobs ? { jobs } : {}), ...(replicas ? { replicas } : {}) }, services: svc };
}
