import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import autocannon from "autocannon";

import { contributionStatus, fileType, subscriptions } from "@/db/schema";
import { countStatements } from "@/db/statement-counter";
import { createApiKey } from "@/lib/api-keys/keys";
import { listContributions } from "@/lib/contributions/queries";
import { ANONYMOUS } from "@/lib/contributions/visibility";
import { idParam, listQuery } from "@/lib/contributions/schemas";
import { parseQuery } from "@/lib/http/query";
import { decodeCursor, encodeCursor } from "@/lib/pagination";
import { BURST_WINDOW_SECONDS, PLANS } from "@/lib/payments/plans";
import { getUserStats } from "@/lib/users/stats";

import { pointAppAt } from "../app-database";
import { freePort, hasProductionBuild, notBuilt, removeBenchUser, serverEnv, signIn, startServer, stopServer, upload, type Server } from "../app-server";
import { formatMiB, formatMs, formatRatio, type BenchContext, type Check, type Scenario } from "../harness";
import type { FloorRoutes } from "../load-floor";
import { breakdown } from "../cpu-profile";
import { processTree, RssSampler, treeCpuSeconds } from "../process-metrics";

/** Ports this scenario's servers may use (others on the machine are not ours to take). */
const PORTS = { from: 3400, to: 3499 };
const SAMPLE_USERS = 500;
const SAMPLE_CONTRIBUTIONS = 500;
/** Contributions drawn to find SAMPLE_CONTRIBUTIONS whose ids the API accepts (see the notes). */
const DRAWN_CONTRIBUTIONS = 5_000;
/** The app ÷ floor comparison alternates the two targets over this many rounds, against drift. */
const COMPARE_ROUNDS = 3;
const CURSORS = 200;
const KiB = 2 ** 10;
/** Small files uploaded through the server so downloads have real blocks to read. */
const DOWNLOAD_SIZES = [4 * KiB, 16 * KiB, 64 * KiB];
/** Enterprise allows 50 active keys; requests rotate over them so no key's burst window fills. */
const KEY_PLAN = "enterprise" as const;
const KEYS = PLANS[KEY_PLAN].maxKeys;
const POOL_MAX = 10; // the app's DB_POOL_MAX default; the floor gets the same

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${raw})`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Workloads: weighted kinds of request, each a pool of paths picked at random per request.

interface Kind {
  name: string;
  weight: number;
  paths: string[];
  /** Sent with `Authorization: Bearer nwu_…`, keys taken in turn. */
  keyed?: boolean;
}

interface KindTally {
  latencies: number[];
  status: { ok: number; c4xx: number; c429: number; c5xx: number; other: number };
}

interface LoadRun {
  label: string;
  seconds: number;
  requests: number;
  perSecond: number;
  tallies: Map<string, KindTally>;
  all: KindTally;
  errors: number;
  timeouts: number;
  /** autocannon's own results (several when a target ran in segments). */
  autocannon: autocannon.Result[];
  cpu: { server: number; postgres: number; client: number; byCluster: Record<string, number> };
}

/** One target's segments as one run: counts and CPU summed, latencies pooled. */
function mergeRuns(label: string, parts: LoadRun[]): LoadRun {
  const tallies = new Map<string, KindTally>();
  const all = emptyTally();
  for (const part of parts) {
    for (const [name, t] of part.tallies) {
      const into = tallies.get(name) ?? emptyTally();
      tallies.set(name, into);
      for (const target of [into, all]) {
        target.latencies.push(...t.latencies);
        for (const key of STATUS_KEYS) target.status[key] += t.status[key];
      }
    }
  }
  const sum = (f: (r: LoadRun) => number) => parts.reduce((total, r) => total + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const requests = sum((r) => r.requests);
  return {
    label,
    seconds,
    requests,
    perSecond: requests / seconds,
    tallies,
    all,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    autocannon: parts.flatMap((r) => r.autocannon),
    cpu: { server: sum((r) => r.cpu.server), postgres: sum((r) => r.cpu.postgres), client: sum((r) => r.cpu.client), byCluster: sumClusters(parts.map((r) => r.cpu.byCluster)) },
  };
}

const emptyTally = (): KindTally => ({ latencies: [], status: { ok: 0, c4xx: 0, c429: 0, c5xx: 0, other: 0 } });
const STATUS_KEYS = Object.keys(emptyTally().status) as (keyof KindTally["status"])[];

function tallyStatus(t: KindTally, status: number): void {
  if (status >= 200 && status < 300) t.status.ok++;
  else if (status === 429) t.status.c429++;
  else if (status >= 400 && status < 500) t.status.c4xx++;
  else if (status >= 500) t.status.c5xx++;
  else t.status.other++;
}

/** CPU seconds of every process named postgres, per pid (backends are not our children). */
// Debian names each cluster's processes "postgres: 15/main: …" (the postmaster: "-D …/15/main").
const CLUSTER = /\b\d+\/([\w-]+)(?=[:\s]|$)/;

function postgresCpu(): Map<number, { seconds: number; cluster: string }> {
  const out = new Map<number, { seconds: number; cluster: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cluster = CLUSTER.exec(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "))?.[1] ?? "postgres";
      out.set(Number(entry), { seconds: (Number(fields[11]) + Number(fields[12])) / 100, cluster });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const postgresCpuSince = (before: Map<number, { seconds: number }>) => {
  let total = 0;
  const byCluster: Record<string, number> = {};
  for (const [pid, { seconds, cluster }] of postgresCpu()) {
    const used = seconds - (before.get(pid)?.seconds ?? 0);
    total += used;
    byCluster[cluster] = (byCluster[cluster] ?? 0) + used;
  }
  return { total, byCluster };
};

function sumClusters(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [k, v] of Object.entries(part)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * One autocannon run: `connections` clients each send one request at a time (no pipelining), each
 * request a kind drawn by weight and a path drawn from its pool. Latency per request is taken
 * from just before it is written to its answer's last byte, per kind.
 */
async function runLoad(
  label: string,
  origin: string,
  mix: Kind[],
  options: { seconds: number; connections: number; serverPid: number; nextKey: () => string },
): Promise<LoadRun> {
  const total = mix.reduce((sum, k) => sum + k.weight, 0);
  const cumulative = mix.map((_, i) => mix.slice(0, i + 1).reduce((sum, k) => sum + k.weight, 0) / total);
  const tallies = new Map(mix.map((k) => [k.name, emptyTally()]));
  const pick = () => {
    const r = Math.random();
    return mix[cumulative.findIndex((c) => r < c)] ?? mix[mix.length - 1]!;
  };
  const entry: autocannon.RequestEntry = {
    method: "GET",
    path: "/",
    setupRequest: (request, context) => {
      const kind = pick();
      context.kind = kind.name;
      context.t0 = performance.now();
      const headers: Record<string, string> = kind.keyed ? { Authorization: `Bearer ${options.nextKey()}` } : {};
      return { ...request, path: kind.paths[randomInt(kind.paths.length)]!, headers };
    },
    onResponse: (status, _body, context) => {
      const tally = tallies.get(context.kind as string);
      if (!tally) return;
      tally.latencies.push(performance.now() - (context.t0 as number));
      tallyStatus(tally, status);
    },
  };
  const serverCpu = treeCpuSeconds(options.serverPid);
  const pgCpu = postgresCpu();
  const clientCpu = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url: origin, connections: options.connections, duration: options.seconds, pipelining: 1, timeout: 10, requests: [entry] }, (error, r) =>
      error ? reject(error) : resolve(r),
    );
  });
  const client = process.cpuUsage(clientCpu);
  const pg = postgresCpuSince(pgCpu);
  const cpu = { server: treeCpuSeconds(options.serverPid) - serverCpu, postgres: pg.total, client: (client.user + client.system) / 1e6, byCluster: pg.byCluster };
  const requests = result.requests.total;
  const run = { label, seconds: result.duration, requests, perSecond: requests / result.duration, tallies, all: emptyTally(), errors: result.errors, timeouts: result.timeouts, autocannon: [result], cpu };
  return mergeRuns(label, [run]);
}

/** BENCH_REPLICA_URL names the standby's server; the database is the bench database's. */
function benchReplicaUrl(databaseUrl: string): string | undefined {
  const raw = process.env.BENCH_REPLICA_URL?.trim();
  if (!raw) return undefined;
  const url = new URL(raw);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

type ReplicaReadiness = { name: string; inRotation: boolean; lagMs: number | null; error?: string };

async function replicaState(origin: string): Promise<ReplicaReadiness | undefined> {
  const body = (await (await fetch(`${origin}/api/health/ready`)).json()) as { checks: { replicas?: ReplicaReadiness[] } };
  return body.checks.replicas?.[0];
}

async function replicaInRotation(origin: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await replicaState(origin);
    if (state?.inRotation) return;
    if (Date.now() > deadline) throw new Error(`the replica did not come into rotation: ${JSON.stringify(state)}`);
    await sleep(100);
  }
}

function clusterShares(run: LoadRun): string {
  const used = Object.entries(run.cpu.byCluster).filter(([, seconds]) => seconds > 0.005 * run.seconds);
  const total = used.reduce((sum, [, seconds]) => sum + seconds, 0);
  return used.map(([cluster, seconds]) => `${cluster} ${((1000 * seconds) / run.requests).toFixed(2)} (${Math.round((100 * seconds) / total)} %)`).join(", ");
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

// ---------------------------------------------------------------------------------------------
// The floor: bench/load-floor.ts in its own process.

async function startFloor(routesFile: string): Promise<{ origin: string; child: ChildProcess }> {
  const port = await freePort(PORTS);
  const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", "load-floor.ts"), routesFile, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (data: Buffer) => (out += data.toString("utf8")));
  child.stderr!.on("data", (data: Buffer) => (out += data.toString("utf8")));
  const deadline = Date.now() + 30_000;
  while (!out.includes("listening")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopFloor(child);
      throw new Error(`bench/load-floor.ts did not start: ${out.trim()}`);
    }
    await sleep(50);
  }
  return { origin: `http://127.0.0.1:${port}`, child };
}

async function stopFloor(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return;
  }
  const killer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }, 5_000);
  await exited;
  clearTimeout(killer);
}

const treeRss = (pid: number) =>
  processTree(pid).reduce((sum, p) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      return sum + (m ? Number(m[1]) * 1024 : 0);
    } catch {
      return sum;
    }
  }, 0);

const SOURCES = ["app", "lib", "db", "components", "instrumentation.ts", "proxy.ts", "next.config.mjs"];

/**
 * What the production build in `appDir` may not match: source files changed after it was made,
 * and source files that differ from the checked-out commit (a build of the working tree has them).
 * Undefined when `appDir` is not a git checkout.
 */
function buildProvenance(appDir: string): { head: string; newer: string[]; uncommitted: string[] } | undefined {
  const git = (args: string[]) => execFileSync("git", args, { cwd: appDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n").filter(Boolean);
  try {
    if (git(["rev-parse", "--show-toplevel"])[0] !== path.resolve(appDir)) return undefined;
    const built = statSync(path.join(appDir, ".next", "BUILD_ID")).mtimeMs;
    const newer = git(["ls-files", "--", ...SOURCES]).filter((f) => {
      try {
        return statSync(path.join(appDir, f)).mtimeMs > built;
      } catch {
        return false;
      }
    });
    const uncommitted = git(["status", "--porcelain", "--", ...SOURCES]).map((line) => line.slice(3));
    return { head: git(["rev-parse", "--short", "HEAD"])[0]!, newer, uncommitted };
  } catch {
    return undefined;
  }
}

/** One load segment with the server's CPU profiler on (SIGUSR2 to bench/cpu-profile-preload.mjs), and its breakdown. */
async function profiledSegment(server: Server, dir: string, run: () => Promise<LoadRun>) {
  const profiles = () => readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  process.kill(server.child.pid!, "SIGUSR2");
  const result = await run();
  process.kill(server.child.pid!, "SIGUSR2");
  const deadline = performance.now() + 30_000;
  while (profiles().length === 0 && performance.now() < deadline) await sleep(100);
  const file = profiles()[0];
  if (!file) throw new Error("the server wrote no CPU profile");
  await sleep(200); // written in one call; let it finish
  return { perSecond: result.perSecond, layers: breakdown(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Parameters<typeof breakdown>[0]) };
}

const badAnswers = (run: LoadRun) => run.all.latencies.length - run.all.status.ok + run.errors + run.timeouts;

interface CacheCounters {
  hits: number;
  misses: number;
  bypasses: number;
}

async function cacheCounters(origin: string): Promise<CacheCounters> {
  const body = (await (await fetch(`${origin}/api/health`)).json()) as { cache: CacheCounters | null };
  return body.cache ?? { hits: 0, misses: 0, bypasses: 0 };
}

function hitRate(before: CacheCounters, after: CacheCounters): string {
  const hits = after.hits - before.hits;
  const all = hits + after.misses - before.misses + after.bypasses - before.bypasses;
  return all === 0 ? "n/a" : `${((100 * hits) / all).toFixed(1)} % (${hits} hits, ${after.misses - before.misses} misses, ${after.bypasses - before.bypasses} bypasses)`;
}

/**
 * List + stats on the cached server while another client writes (≈ 10 % of operations) and a probe
 * measures how long the cached server takes to show a change: the staleness across instances.
 */
async function writesWhileCached(o: {
  sql: BenchContext["sql"];
  cachedServer: Server;
  cachedRun: (label: string, mix: Kind[], s: number) => Promise<LoadRun>;
  listAndStats: Kind[];
  seconds: number;
  targetWrites: number;
  report: (run: LoadRun) => LoadRun;
}) {
  const { sql } = o;
  const ids = (await sql<{ id: string }[]>`SELECT id FROM contributions WHERE NOT calibration ORDER BY created_at DESC LIMIT 2000`).map((r) => r.id);
  const before = await cacheCounters(o.cachedServer.origin);
  let stop = false;
  let writes = 0;
  const staleness: number[] = [];
  const writer = (async () => {
    const started = performance.now();
    while (!stop) {
      await sql`UPDATE contributions SET updated_at = now() WHERE id = ${ids[randomInt(ids.length)]!}`;
      writes++;
      const due = started + (writes * 1000) / o.targetWrites;
      if (due > performance.now()) await sleep(due - performance.now());
    }
  })();
  const prober = (async () => {
    while (!stop) {
      await sleep(200);
      const [row] = await sql<{ id: string; at: string }[]>`
        UPDATE contributions SET updated_at = clock_timestamp() WHERE id = (SELECT id FROM contributions WHERE NOT calibration ORDER BY created_at DESC, id DESC LIMIT 1)
        RETURNING id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`;
      const committed = performance.now();
      // Staleness: how long after the commit a request could still START and get the old answer (the
      // answer's own latency under load is not staleness). 0 when the first poll is already fresh.
      let lastStaleStart = committed;
      for (;;) {
        const started = performance.now();
        const page = (await (await fetch(`${o.cachedServer.origin}/api/v1/contributions?limit=1`)).json()) as { items: { id: string; updated_at: string }[] };
        if (page.items[0]?.id === row!.id && page.items[0].updated_at >= row!.at) break;
        lastStaleStart = started;
        if (started - committed > 10_000) break;
      }
      staleness.push(lastStaleStart - committed);
    }
  })();
  const run = o.report(await o.cachedRun("app cached: list + stats, 10 % writes", o.listAndStats, o.seconds));
  stop = true;
  await Promise.all([writer, prober]);
  const after = await cacheCounters(o.cachedServer.origin);
  const sorted = [...staleness].sort((a, b) => a - b);
  return { run, writes, probes: staleness.length, worstMs: sorted.at(-1) ?? NaN, medianMs: quantile(sorted, 0.5), hitRate: hitRate(before, after) };
}

const listed = (files: string[]) => `${files.slice(0, 8).join(", ")}${files.length > 8 ? ` and ${files.length - 8} more` : ""}`;

// ---------------------------------------------------------------------------------------------

export const load: Scenario = {
  name: "load",
  title: "mixed HTTP load on the production server vs a bare node:http + postgres.js floor",
  async run(ctx: BenchContext) {
    // BENCH_APP_DIR: run the build in another folder (e.g. `git archive` of a commit with a hard-linked
    // node_modules, built there), out of reach of rebuilds in this checkout while the load runs.
    const appDir = path.resolve(process.env.BENCH_APP_DIR?.trim() || process.cwd());
    if (!hasProductionBuild(appDir)) return notBuilt("load");
    const seconds = envNumber("BENCH_LOAD_SECONDS", 60);
    const connections = envNumber("BENCH_LOAD_CONNECTIONS", 50);
    const warmupSeconds = envNumber("BENCH_LOAD_WARMUP_SECONDS", Math.min(10, Math.max(2, Math.round(seconds / 6))));
    const buildIdFile = path.join(appDir, ".next", "BUILD_ID");
    const buildId = readFileSync(buildIdFile, "utf8").trim();
    const buildTime = statSync(buildIdFile).mtime;
    const provenance = buildProvenance(appDir);
    const scenarioStarted = performance.now();
    const loadAtStart = os.loadavg()[0]!;
    const { sql } = ctx;

    // ---- Sampled data: users for stats and rewards, contributions for details and cursors.
    const addresses = (await sql<{ address: string }[]>`SELECT address FROM users ORDER BY random() LIMIT ${SAMPLE_USERS}`).map((r) => r.address);
    // Halted contributions answer 404 to everyone but their owner and admins: not a valid public request.
    const drawn = await sql<{ id: string; at: string }[]>`SELECT id, created_at::text AS at FROM contributions WHERE status <> 'halted' ORDER BY random() LIMIT ${DRAWN_CONTRIBUTIONS}`;
    // The seed's ids are md5 digests cast to uuid, most without an RFC 9562 version and variant; the
    // API's id check (zod uuid) answers 404 for those. The app's own ids (v4) always pass.
    const addressable = drawn.filter((r) => idParam.safeParse(r.id).success);
    const sampled = addressable.slice(0, SAMPLE_CONTRIBUTIONS);
    const listPath = (params: Record<string, string>) => `/api/v1/contributions?${new URLSearchParams({ ...params, limit: "50" })}`;
    const paths = {
      first: [listPath({})],
      status: contributionStatus.enumValues.map((status) => listPath({ status })),
      type: fileType.enumValues.map((type) => listPath({ type })),
      cursor: drawn.slice(0, CURSORS).map((r) => listPath({ cursor: encodeCursor({ createdAt: r.at, id: r.id }) })),
      detail: sampled.map((r) => `/api/v1/contributions/${r.id}`),
      stats: addresses.map((a) => `/api/v1/users/${a}/stats`),
      rewards: addresses.map((a) => `/api/v1/users/${a}/rewards?limit=50`),
      download: [] as string[],
    };

    // ---- The statements the app sends for each list and stats path, recorded in process (the same
    // lib functions the routes call, on the app's own client pointed at the bench database).
    await pointAppAt(ctx);
    const routes: FloorRoutes["routes"] = {};
    for (const p of [...paths.first, ...paths.status, ...paths.type, ...paths.cursor]) {
      const query = parseQuery(listQuery, new URL(p, "http://bench.local").searchParams);
      const { statements } = await countStatements(() => listContributions({ ...query, cursor: decodeCursor(query.cursor) }, ANONYMOUS));
      routes[p] = statements;
    }
    for (const [i, a] of addresses.entries()) routes[paths.stats[i]!] = (await countStatements(() => getUserStats(a))).statements;
    const statementsPerPath = new Set(Object.values(routes).map((s) => s.length));

    const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-load-"));
    const env = serverEnv(ctx.databaseUrl, dataDir);
    // The in-process job worker would pick up the uploads' verification jobs mid-load.
    env.WORKERS = "off";
    // pointAppAt raised it for this process's own queries; the server keeps the app's default.
    delete env.DB_STATEMENT_TIMEOUT_MS;
    // The main server runs uncached (the mixed workload and "app uncached"); a second one, same build,
    // with the query cache at its default (its own DATA_DIR: one IPFS repository per process).
    env.CACHE_MAX_STALENESS_MS = "0";
    const cachedDataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-load-cached-"));
    const cachedEnv: NodeJS.ProcessEnv = { ...serverEnv(ctx.databaseUrl, cachedDataDir), WORKERS: "off" };
    delete cachedEnv.DB_STATEMENT_TIMEOUT_MS;
    // BENCH_REPLICA_URL (a streaming standby of the bench database's cluster): a third server, uncached,
    // whose GET reads go to it.
    const replicaUrl = benchReplicaUrl(ctx.databaseUrl);
    const replicaDataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-load-replica-"));
    const replicaEnv: NodeJS.ProcessEnv = { ...serverEnv(ctx.databaseUrl, replicaDataDir), WORKERS: "off", CACHE_MAX_STALENESS_MS: "0", DATABASE_REPLICA_URLS: replicaUrl ?? "" };
    delete replicaEnv.DB_STATEMENT_TIMEOUT_MS;
    let replicaServer: Server | undefined;
    const salt = randomBytes(4).toString("hex");
    let server: Server | undefined;
    let cachedServer: Server | undefined;
    let sampler: RssSampler | undefined;
    let floor: { origin: string; child: ChildProcess } | undefined;
    let signedIn: { cookie: string; address: string; nonce: string } | undefined;
    try {
      // The uncached server carries the CPU profiler's preload, used in one extra segment at the end.
      env.CPU_PROFILE_DIR = dataDir;
      server = await startServer(env, PORTS, appDir, ["--import", pathToFileURL(path.resolve("bench", "cpu-profile-preload.mjs")).href]);
      cachedServer = await startServer(cachedEnv, PORTS, appDir);
      if (replicaUrl) {
        replicaServer = await startServer(replicaEnv, PORTS, appDir);
        await replicaInRotation(replicaServer.origin);
      }
      const serverPid = server.child.pid!;
      sampler = new RssSampler(serverPid, true);
      await sampler.ready();
      const rssAtStart = sampler.current();

      // ---- A signed-in user: small uploads to download, an enterprise subscription, API keys.
      signedIn = await signIn(server.origin);
      const [user] = await sql<{ id: string }[]>`SELECT id FROM users WHERE address = ${signedIn.address}`;
      const uploads = [];
      for (const [i, size] of DOWNLOAD_SIZES.entries()) {
        uploads.push(await upload(server, signedIn.cookie, `benchmark load ${salt} #${i + 1}`, size, `${salt}-${i}`));
      }
      for (const u of uploads) {
        const response = await fetch(`${server.origin}/api/v1/contributions/${u.id}/file`);
        const bytes = Buffer.from(await response.arrayBuffer());
        if (response.status !== 200 || bytes.byteLength !== u.size) throw new Error(`download of the uploaded ${u.size} B file answered ${response.status} with ${bytes.byteLength} B`);
      }
      paths.download = uploads.map((u) => `/api/v1/contributions/${u.id}/file`);
      await ctx.db.insert(subscriptions).values({ userId: user!.id, plan: KEY_PLAN, status: "active", stripeSubscriptionId: `sub_bench_load_${user!.id}` });
      const keys: string[] = [];
      for (let i = 0; i < KEYS; i++) {
        keys.push((await createApiKey({ userId: user!.id, name: `bench load ${salt} ${i + 1}`, scopes: ["contributions:read", "stats:read"] })).key);
      }
      let keyTurn = 0;
      const nextKey = () => keys[keyTurn++ % keys.length]!;
      const keyed = await fetch(`${server.origin}${paths.first[0]}`, { headers: { Authorization: `Bearer ${nextKey()}` } });
      await keyed.arrayBuffer();
      if (keyed.status !== 200 || !keyed.headers.get("ratelimit-limit")) throw new Error(`a keyed request answered ${keyed.status} (RateLimit-Limit ${keyed.headers.get("ratelimit-limit")})`);

      // ---- The floor, with the recorded statements.
      const routesFile = path.join(dataDir, "floor-routes.json");
      writeFileSync(routesFile, JSON.stringify({ databaseUrl: ctx.databaseUrl, poolMax: POOL_MAX, routes } satisfies FloorRoutes));
      floor = await startFloor(routesFile);

      // ---- Workloads. List + stats is the part both servers answer; the mix adds the rest.
      const listAndStats: Kind[] = [
        { name: "list: first page", weight: 10, paths: paths.first },
        { name: "list: status filter", weight: 10, paths: paths.status },
        { name: "list: type filter", weight: 5, paths: paths.type },
        { name: "list: cursor page", weight: 10, paths: paths.cursor },
        { name: "user stats", weight: 15, paths: paths.stats },
      ];
      const mixed: Kind[] = [
        ...listAndStats,
        { name: "contribution detail", weight: 15, paths: paths.detail },
        { name: "user rewards", weight: 10, paths: paths.rewards },
        { name: "download (4–64 KiB file)", weight: 10, paths: paths.download },
        { name: "API key: list", weight: 6, paths: [...paths.first, ...paths.status, ...paths.type, ...paths.cursor], keyed: true },
        { name: "API key: user stats", weight: 5, paths: paths.stats, keyed: true },
        { name: "API key: contribution detail", weight: 4, paths: paths.detail, keyed: true },
      ];

      const appRun = (label: string, mix: Kind[], s: number) => runLoad(label, server!.origin, mix, { seconds: s, connections, serverPid, nextKey });
      const floorRun = (label: string, s: number) => runLoad(label, floor!.origin, listAndStats, { seconds: s, connections, serverPid: floor!.child.pid!, nextKey });
      const cachedRun = (label: string, mix: Kind[], s: number) => runLoad(label, cachedServer!.origin, mix, { seconds: s, connections, serverPid: cachedServer!.child.pid!, nextKey });
      const replicaRun = (label: string, mix: Kind[], s: number) => runLoad(label, replicaServer!.origin, mix, { seconds: s, connections, serverPid: replicaServer!.child.pid!, nextKey });
      const noop: Kind[] = [{ name: "no-op route", weight: 1, paths: ["/api/health/live"] }];
      const warmups: LoadRun[] = [];
      const report = (run: LoadRun) => {
        console.log(`  ${run.label}: ${run.perSecond.toFixed(0)} req/s, ${run.requests} requests, ${run.all.latencies.length - run.all.status.ok} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`);
        return run;
      };

      const baseline = sampler.mark();
      // The load of the issue: the mixed workload, `seconds` long.
      warmups.push(report(await appRun("warm-up app mixed", mixed, warmupSeconds)));
      const appMixed = report(await appRun("app: mixed workload", mixed, seconds));
      // The comparison: list + stats on both, in alternating segments (app, floor, floor, app, …) so
      // both see the same drift in the machine's other load; `seconds` in all per target.
      warmups.push(report(await appRun("warm-up app list + stats", listAndStats, warmupSeconds)));
      warmups.push(report(await floorRun("warm-up floor", warmupSeconds)));
      warmups.push(report(await cachedRun("warm-up app cached list + stats", listAndStats, warmupSeconds)));
      warmups.push(report(await appRun("warm-up no-op route", noop, warmupSeconds)));
      if (replicaServer) warmups.push(report(await replicaRun("warm-up app uncached + 1 replica list + stats", listAndStats, warmupSeconds)));
      const segment = Math.max(1, Math.round(seconds / COMPARE_ROUNDS));
      const appParts: LoadRun[] = [];
      const floorParts: LoadRun[] = [];
      const cachedParts: LoadRun[] = [];
      const noopParts: LoadRun[] = [];
      const replicaParts: LoadRun[] = [];
      const cacheBefore = await cacheCounters(cachedServer.origin);
      for (let round = 0; round < COMPARE_ROUNDS; round++) {
        const steps = [
          async () => appParts.push(report(await appRun(`app uncached: list + stats, segment ${round + 1}`, listAndStats, segment))),
          async () => floorParts.push(report(await floorRun(`floor: list + stats, segment ${round + 1}`, segment))),
          async () => cachedParts.push(report(await cachedRun(`app cached: list + stats, segment ${round + 1}`, listAndStats, segment))),
          async () => noopParts.push(report(await appRun(`no-op Next route, segment ${round + 1}`, noop, segment))),
          ...(replicaServer ? [async () => replicaParts.push(report(await replicaRun(`app uncached + 1 replica: list + stats, segment ${round + 1}`, listAndStats, segment)))] : []),
        ];
        // Each round starts with a different target, so all see the same drift in the machine's load.
        for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]!();
      }
      const cacheAfter = await cacheCounters(cachedServer.origin);
      const appListStats = mergeRuns("app uncached: list + stats", appParts);
      const floorListStats = mergeRuns("floor: list + stats (node:http + postgres.js)", floorParts);
      const cachedListStats = mergeRuns("app cached: list + stats", cachedParts);
      const noopRoute = mergeRuns("no-op Next route (GET /api/health/live)", noopParts);
      const replicaListStats = replicaServer ? mergeRuns("app uncached + 1 replica: list + stats", replicaParts) : undefined;
      const replicaAtEnd = replicaServer ? await replicaState(replicaServer.origin) : undefined;
      const profile = await profiledSegment(server, dataDir, () => appRun("app uncached: list + stats, profiled", listAndStats, segment));
      const withWrites = await writesWhileCached({ sql, cachedServer, cachedRun, listAndStats, seconds: segment, targetWrites: cachedListStats.perSecond / 9, report });
      const appPeak = await sampler.peak();
      const rssAtEnd = sampler.current();
      const floorRss = treeRss(floor.child.pid!);
      const loadAtEnd = os.loadavg()[0]!;
      const buildUnchanged = existsSync(buildIdFile) && readFileSync(buildIdFile, "utf8").trim() === buildId;

      // ---- Report.
      const appRuns = [...warmups.filter((w) => w.label.includes("app")), appMixed, appListStats];
      const appRequests = appRuns.reduce((sum, r) => sum + r.requests, 0);
      const app5xx = appRuns.reduce((sum, r) => sum + Math.max(r.autocannon.reduce((n, a) => n + a["5xx"], 0), r.all.status.c5xx), 0);
      const appErrors = appRuns.reduce((sum, r) => sum + r.errors + r.timeouts, 0);
      const app429 = appRuns.reduce((sum, r) => sum + r.all.status.c429, 0);
      const appOther4xx = appRuns.reduce((sum, r) => sum + r.all.status.c4xx + r.all.status.other, 0);
      const floorBad = floorListStats.all.latencies.length - floorListStats.all.status.ok + floorListStats.errors + floorListStats.timeouts;
      const ratio = appListStats.perSecond / floorListStats.perSecond;
      const pct = (cpuSeconds: number, run: LoadRun) => `${Math.round((100 * cpuSeconds) / run.seconds)}`;
      const cpuMs = (cpuSeconds: number, run: LoadRun) => (1000 * cpuSeconds) / run.requests;

      const columns = ["target", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "4xx", "429", "5xx", "errors", "timeouts", "÷ floor", "server CPU %", "Postgres CPU %", "client CPU %", "server CPU ms/req"];
      const tallyCells = (t: KindTally) => {
        const sorted = [...t.latencies].sort((a, b) => a - b);
        return [formatMs(quantile(sorted, 0.5)), formatMs(quantile(sorted, 0.95)), formatMs(quantile(sorted, 0.99)), String(t.status.c4xx + t.status.other), String(t.status.c429), String(t.status.c5xx)];
      };
      const runRow = (run: LoadRun) => [
        run.label,
        String(run.requests),
        run.perSecond.toFixed(0),
        ...tallyCells(run.all),
        String(run.errors),
        String(run.timeouts),
        formatRatio(run.perSecond / floorListStats.perSecond),
        pct(run.cpu.server, run),
        pct(run.cpu.postgres, run),
        pct(run.cpu.client, run),
        cpuMs(run.cpu.server, run).toFixed(2),
      ];
      const kindRows = (run: LoadRun) =>
        [...run.tallies.entries()].map(([name, t]) => [
          `  · ${name}`,
          String(t.latencies.length),
          (t.latencies.length / run.seconds).toFixed(0),
          ...tallyCells(t),
          ...Array<string>(7).fill(""),
        ]);
      const keyedPerSecond = [...appMixed.tallies.entries()].filter(([name]) => name.startsWith("API key")).reduce((sum, [, t]) => sum + t.latencies.length, 0) / appMixed.seconds;

      const checks: Check[] = [
        { label: `app: 0 × 5xx under load (${app5xx} of ${appRequests.toLocaleString("en")} requests, warm-ups included)`, pass: app5xx === 0 },
        { label: `app: 0 connection errors and timeouts (${appErrors})`, pass: appErrors === 0 },
        { label: `app: every answer 2xx — the workload holds only valid requests, its keyed share within the plan's limits (429: ${app429}, other non-2xx: ${appOther4xx})`, pass: app429 === 0 && appOther4xx === 0 },
        { label: `floor: every answer 2xx, no errors (${floorBad} not)`, pass: floorBad === 0 },
        {
          label: `goal: app list + stats ≥ 0.5× the floor's throughput (${appListStats.perSecond.toFixed(0)} vs ${floorListStats.perSecond.toFixed(0)} req/s = ${formatRatio(ratio)})`,
          pass: ratio >= 0.5,
          goal: true,
        },
        {
          label: `goal: app cached list + stats ≥ 0.8× the no-op Next route (${cachedListStats.perSecond.toFixed(0)} vs ${noopRoute.perSecond.toFixed(0)} req/s = ${formatRatio(cachedListStats.perSecond / noopRoute.perSecond)})`,
          pass: cachedListStats.perSecond >= 0.8 * noopRoute.perSecond,
          goal: true,
        },
        {
          label: `goal: app cached list + stats ≥ 1.5× uncached (${formatRatio(cachedListStats.perSecond / appListStats.perSecond)})`,
          pass: cachedListStats.perSecond >= 1.5 * appListStats.perSecond,
          goal: true,
        },
        { label: `cached: every answer 2xx, no errors (${badAnswers(cachedListStats)} not; with writes ${badAnswers(withWrites.run)})`, pass: badAnswers(cachedListStats) === 0 && badAnswers(withWrites.run) === 0 },
        ...(replicaListStats
          ? [
              {
                label: `replica: every answer 2xx, no errors (${badAnswers(replicaListStats)} not); the replica in rotation at the end (${JSON.stringify(replicaAtEnd)})`,
                pass: badAnswers(replicaListStats) === 0 && replicaAtEnd?.inRotation === true,
              },
            ]
          : []),
        {
          label: `cached with 10 % writes: worst staleness ${withWrites.worstMs.toFixed(0)} ms ≤ CACHE_MAX_STALENESS_MS (1000) over ${withWrites.probes} probes`,
          pass: withWrites.probes > 0 && withWrites.worstMs <= 1000,
        },
      ];

      return {
        columns,
        rows: [runRow(appMixed), ...kindRows(appMixed), runRow(appListStats), ...(replicaListStats ? [runRow(replicaListStats)] : []), runRow(floorListStats), runRow(cachedListStats), runRow(noopRoute), runRow(withWrites.run)],
        checks,
        notes: [
          `autocannon, ${connections} connections, one request at a time per connection (no pipelining), 10 s timeout. The mixed workload runs ${seconds} s on the app after a ` +
            `${warmupSeconds} s warm-up. The comparison then runs list + stats on both servers (a ${warmupSeconds} s warm-up each, then ${COMPARE_ROUNDS} rounds of ${segment} s per target, ` +
            `alternating which goes first, so both see the same drift in the machine's other load; the rows pool the segments). Warm-ups are not in the table; the 5xx, error and 2xx checks count them. ` +
            `Each request draws its kind by weight and a path from the kind's pool at random; latency percentiles are per request, from just before it is written to its answer's last byte ` +
            `(autocannon's setupRequest/onResponse); "4xx" excludes 429. Overrides: BENCH_LOAD_SECONDS, BENCH_LOAD_CONNECTIONS, BENCH_LOAD_WARMUP_SECONDS (\`npm run bench:load:ci\` runs 10 s).`,
          `Mixed workload weights (%): ${mixed.map((k) => `${k.name} ${k.weight}`).join(", ")}; list + stats is its first ${listAndStats.length} kinds in the same proportions. ` +
            `List pages are limit=50: the first page, each of the ${paths.status.length} statuses, each of the ${paths.type.length} file types, and ${paths.cursor.length} cursors at random rows ` +
            `(keyset pages anywhere in the table). Stats and rewards (limit=50) are of ${addresses.length} random users. Details are of ${sampled.length} random contributions whose ids the API accepts: ` +
            `of ${drawn.length} drawn, ${drawn.length - addressable.length} have seed ids (md5 digests cast to uuid) that are not RFC 9562 UUIDs, which GET /api/v1/contributions/{id} answers 404 ` +
            `(its zod uuid check); ids the app creates are v4 and always pass. Downloads are GET …/file of ${DOWNLOAD_SIZES.length} plain-text files ` +
            `(${DOWNLOAD_SIZES.map((b) => `${b / KiB} KiB`).join(", ")}) uploaded through the server by a SIWE-signed-in user before the load (the seeded contributions' CIDs have no blocks in ` +
            `this server's fresh DATA_DIR). API-key requests carry one of ${KEYS} keys of that user (${KEY_PLAN} subscription: ${PLANS[KEY_PLAN].burst} requests per key per ${BURST_WINDOW_SECONDS} s, ` +
            `${PLANS[KEY_PLAN].daily.toLocaleString("en")} a day), taken in turn: ${keyedPerSecond.toFixed(0)} keyed req/s in the mixed run ≈ ` +
            `${((keyedPerSecond * BURST_WINDOW_SECONDS) / KEYS).toFixed(0)} per key per window. The user, its keys, subscription, uploads and usage rows are deleted at the end.`,
          `App: \`next start\` of the production build in ${appDir === process.cwd() ? "this checkout" : `${appDir} (BENCH_APP_DIR)`} ` +
            `(BUILD_ID ${buildId}, built ${buildTime.toISOString()}${buildUnchanged ? "" : "; REPLACED during the run"}) on 127.0.0.1, ` +
            `DATABASE_URL the bench database (pool ${POOL_MAX}, the app's default), DATA_DIR a fresh temporary folder, WORKERS=off. ` +
            (provenance
              ? (provenance.newer.length ? `Source files changed after the build (not measured): ${listed(provenance.newer)}. ` : "No source file is newer than the build. ") +
                (provenance.uncommitted.length
                  ? `Source files differing from the checked-out commit ${provenance.head} when the run started (in the build if it was made from this working tree): ${listed(provenance.uncommitted)}. `
                  : `The source matches the checked-out commit ${provenance.head}. `)
              : "") +
            `Server RSS (process tree): ${formatMiB(rssAtStart)} MiB at start, ${formatMiB(baseline)} MiB before the load, peak ${formatMiB(appPeak)} MiB during the load, ` +
            `${formatMiB(rssAtEnd)} MiB at the end.`,
          `Floor: bench/load-floor.ts, a bare node:http server in its own process, answering each list and stats path with the very statements the app sends for it ` +
            `(recorded in process by db/statement-counter from listContributions / getUserStats: ${[...statementsPerPath].join(" or ")} statement per path), ` +
            `replayed through postgres.js (pool ${POOL_MAX}) as server-side prepared statements, rows JSON.stringify'd as they come: no validation, routing, auth or response shaping. ` +
            `Its RSS at the end: ${formatMiB(floorRss)} MiB. "÷ floor" is each row's req/s over the floor's; only "app: list + stats" has the floor's request mix (the checked ratio); ` +
            `the mixed row's is for scale. CPU per request, which the machine's other load disturbs far less than req/s: server ${cpuMs(appListStats.cpu.server, appListStats).toFixed(2)} ms (app) vs ` +
            `${cpuMs(floorListStats.cpu.server, floorListStats).toFixed(2)} ms (floor), PostgreSQL ${cpuMs(appListStats.cpu.postgres, appListStats).toFixed(2)} vs ` +
            `${cpuMs(floorListStats.cpu.postgres, floorListStats).toFixed(2)} ms: the app's list + stats request costs ` +
            `${formatRatio((appListStats.cpu.server + appListStats.cpu.postgres) / appListStats.requests / ((floorListStats.cpu.server + floorListStats.cpu.postgres) / floorListStats.requests))} ` +
            `the floor's CPU (server + PostgreSQL).`,
          `Cache: the cached rows run on a second \`next start\` of the same build with the query cache at its defaults (CACHE_MAX_STALENESS_MS 1000); the uncached rows and the ` +
            `mixed workload on the first, with CACHE_MAX_STALENESS_MS=0. Cached list + stats hit rate ${hitRate(cacheBefore, cacheAfter)}. ` +
            `"${withWrites.run.label}": the same list + stats load for ${segment} s while another client (as another instance or the worker would) writes ` +
            `${withWrites.writes} times (${(withWrites.writes / withWrites.run.seconds).toFixed(0)}/s, ≈ 10 % of all operations): UPDATE contributions SET updated_at of a random listed row; ` +
            `every 200 ms a probe stamps the newest contribution's updated_at and polls GET /api/v1/contributions?limit=1 on the cached server until it shows it; ` +
            `staleness = how long after the commit a poll could still start and be answered from before it (not the answer's latency): median ${withWrites.medianMs.toFixed(1)} ms, worst ${withWrites.worstMs.toFixed(1)} ms over ${withWrites.probes} probes; hit rate during it ${withWrites.hitRate}. ` +
            `Any contribution change drops every cached list page (pages are invalidated per table, details and stats per row), hence the lower hit rate with writes. ` +
            `The no-op route is GET /api/health/live of the uncached server (Response.json of two fields, no I/O): Next's own floor per request.`,
          replicaListStats
            ? `Replica: "${replicaListStats.label}" runs on a third \`next start\` (uncached) with DATABASE_REPLICA_URLS a streaming standby of the bench cluster (BENCH_REPLICA_URL, same machine): ` +
              `${replicaListStats.perSecond.toFixed(0)} req/s = ${formatRatio(replicaListStats.perSecond / appListStats.perSecond)} the uncached server without one. PostgreSQL CPU by cluster ` +
              `(ms per request, and share of all PostgreSQL CPU): without a replica ${clusterShares(appListStats)}; with one ${clusterShares(replicaListStats)}. On this machine both clusters share its ${os.availableParallelism()} CPUs, ` +
              `so a replica moves work off the primary rather than adding capacity.`
            : "Replica: not measured (set BENCH_REPLICA_URL to a streaming standby of the bench database's cluster).",
          `Where the uncached server's CPU goes (V8 sampling profile of one more ${segment} s list + stats segment on it, ${profile.perSecond.toFixed(0)} req/s under the profiler, ` +
            `bench/cpu-profile.ts; self time by layer, share of busy time): ${profile.layers.map((l) => `${l.layer} ${(100 * l.share).toFixed(1)} %`).join(", ")}. ` +
            `Server CPU per request: no-op route ${cpuMs(noopRoute.cpu.server, noopRoute).toFixed(2)} ms, app uncached ${cpuMs(appListStats.cpu.server, appListStats).toFixed(2)} ms, ` +
            `app cached ${cpuMs(cachedListStats.cpu.server, cachedListStats).toFixed(2)} ms, floor ${cpuMs(floorListStats.cpu.server, floorListStats).toFixed(2)} ms.`,
          `All on one machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim()}), shared by the server, PostgreSQL, the load generator (this process, "client CPU %") ` +
            `and whatever else runs there. CPU % is CPU seconds over the run's wall time (100 = one core): the server's process tree, all postgres processes, this process. ` +
            `1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at the end; the scenario took ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s. ` +
            `autocannon's own latency percentiles (ms, p50 / p97.5 / p99): ${[appMixed, ...appParts, ...floorParts]
              .map((r) => `${r.label} ${r.autocannon[0]!.latency.p50} / ${r.autocannon[0]!.latency.p97_5} / ${r.autocannon[0]!.latency.p99}`)
              .join("; ")}.`,
        ],
      };
    } finally {
      await sampler?.stop();
      if (floor) await stopFloor(floor.child);
      if (server) await stopServer(server);
      if (cachedServer) await stopServer(cachedServer);
      if (replicaServer) await stopServer(replicaServer);
      rmSync(cachedDataDir, { recursive: true, force: true });
      rmSync(replicaDataDir, { recursive: true, force: true });
      if (signedIn) await removeBenchUser(sql, signedIn.address, [signedIn.nonce]).catch((error: unknown) => console.error("could not remove the benchmark user:", error));
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
