import { performance } from "node:perf_hooks";

import { sql as drizzleSql, type SQLWrapper } from "drizzle-orm";
import type { Sql } from "postgres";

import { queryRows, type Db, type Tx } from "@/db/client";

export interface BenchContext {
  /** Drizzle on the bench database. */
  db: Db;
  /** The postgres.js client under `db`, for bare-SQL floors. */
  sql: Sql;
  /** Measured passes; each scenario says how it scales its slow variants from this. */
  iterations: number;
  /** URL of the bench database, for scenarios that run the app's own code or server against it. */
  databaseUrl: string;
  /** Bytes the file-transfer scenario uploads and downloads (`--file-size`, default 1 GiB). */
  fileSize: number;
}

export interface Check {
  label: string;
  pass: boolean;
  /** A goal rather than a limit: reported as MET or MISSED, never fails the run. */
  goal?: boolean;
}

export interface ScenarioResult {
  columns: string[];
  rows: string[][];
  checks: Check[];
  notes: string[];
}

/** One module per scenario under bench/scenarios/, listed in bench/run.ts. */
export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export interface Stats {
  calls: number;
  median: number;
  p95: number;
}

export function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const at = q * (sorted.length - 1);
    const lo = sorted[Math.floor(at)]!;
    return lo + (sorted[Math.ceil(at)]! - lo) * (at - Math.floor(at));
  };
  return { calls: sorted.length, median: quantile(0.5), p95: quantile(0.95) };
}

/**
 * Calls every variant once per argument per pass, in a fresh random order each time, so variants
 * compared with each other run under the same conditions. Returns the per-call times in ms.
 */
export async function measureInterleaved<A, V extends string>(
  variants: Record<V, (arg: A) => Promise<unknown>>,
  args: A[],
  passes: number,
): Promise<Record<V, number[]>> {
  const names = Object.keys(variants) as V[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<V, number[]>;
  for (let pass = 0; pass < passes; pass++) {
    for (const arg of args) {
      for (const name of shuffle(names)) samples[name].push(await timed(() => variants[name](arg)));
    }
  }
  return samples;
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** The table and index scans of a plan tree, e.g. "Index Scan (rewards_user_id_status_idx)". */
export function scanKinds(node: PlanNode): string[] {
  const target = node["Index Name"] ?? node["Relation Name"];
  const own = target ? [`${node["Node Type"]} (${target})`] : [];
  return [...new Set([...own, ...(node.Plans ?? []).flatMap(scanKinds)])];
}

/** Scan kinds PostgreSQL plans for `query` (EXPLAIN without running it). */
export async function explainScans(db: Db | Tx, query: SQLWrapper): Promise<string[]> {
  const [row] = await queryRows<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
    db,
    drizzleSql`EXPLAIN (ANALYZE false, FORMAT JSON) ${query.getSQL()}`,
  );
  return scanKinds(row!["QUERY PLAN"][0]!.Plan);
}

export const usesIndex = (kinds: string[]) => kinds.some((kind) => /^(Index|Index Only|Bitmap Index) Scan /.test(kind));

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** "1GiB", "256 MiB", "500MB", "1048576" → bytes; undefined when not a positive whole size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * SIZE_UNITS[(match[2] ?? "").toLowerCase()]!;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export const formatMiB = (bytes: number) => (bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0);

export const formatMs = (ms: number) => ms.toFixed(ms < 10 ? 3 : ms < 1000 ? 1 : 0);

export const formatRatio = (ratio: number) =>
  `${ratio >= 100 ? Math.round(ratio).toLocaleString("en") : ratio.toFixed(2)}×`;
