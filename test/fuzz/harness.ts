/**
 * What the route fuzzer checks after every request: the answer is not a 5xx; a 4xx is an RFC 9457
 * problem document with no internals in it; and a rejected request changed nothing — the row count
 * of every table in db/schema.ts, the IPFS pins and the block files on disk.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";

import { queryRows, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { getIpfs } from "@/lib/ipfs/node";

/** Every table the app defines, read from the schema module (a new table is counted automatically). */
export const TABLES: readonly string[] = (Object.values(schema) as unknown[])
  .filter((v): v is PgTable => is(v, PgTable))
  .map((t) => getTableName(t))
  .sort();

/** Tables that count API-key requests by design (usage metering, rate-limit windows, billing periods, batched reads), rejected or not. */
export const METERING_TABLES: readonly string[] = ["usage_records", "rate_limit_buckets", "api_usage_periods", "contribution_reads"];

export type Footprint = Record<string, number>;

/** Row counts of all tables (one statement), IPFS pins and block files. */
export async function footprint(db: Db): Promise<Footprint> {
  const columns = TABLES.map((t) => `(SELECT count(*) FROM "${t}")::int AS "${t}"`).join(", ");
  const [row] = await queryRows<Record<string, number>>(db, sql.raw(`SELECT ${columns}`));
  const counts: Footprint = {};
  for (const t of TABLES) counts[t] = Number(row![t]);
  const node = await getIpfs();
  let pins = 0;
  for await (const _ of node.helia.pins.ls()) pins++;
  counts["ipfs:pins"] = pins;
  counts["ipfs:blocks"] = countBlockFiles(path.join(process.env.DATA_DIR!, "ipfs", "blocks"));
  return counts;
}

function countBlockFiles(dir: string): number {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".data")).length;
  } catch {
    return 0;
  }
}

/** Entries that differ between two footprints, ignoring `exempt` tables: "table: before → after". */
export function footprintChanges(before: Footprint, after: Footprint, exempt: readonly string[] = []): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !exempt.includes(k) && before[k] !== after[k]).map((k) => `${k}: ${before[k]} → ${after[k]}`);
}

/** Signs of internals leaking into an answer: stack frames, source paths, JS error names, SQL errors. */
const LEAKS: readonly RegExp[] = [
  /\bat [^\n]*\(?[^\s()]+:\d+:\d+\)?/, // stack frame
  /node_modules/,
  /\/work\/|file:\/\//,
  /\.(ts|tsx|js|mjs|cjs):\d+/,
  /\b(TypeError|ReferenceError|SyntaxError|RangeError|URIError|EvalError)\b/,
  /\b(relation|column) "[^"]*" does not exist|syntax error at or near|violates [a-z -]*constraint|invalid input syntax|invalid byte sequence|duplicate key value|unsupported Unicode escape|date\/time field value out of range|out of range for type/i,
  /\bPostgresError\b|\bDrizzleQueryError\b|\bFailed query\b/,
];

export interface Checked {
  status: number;
  /** Problems with the answer; empty when it is acceptable. */
  failures: string[];
}

/** Reads the answer (cancelling an endless stream) and lists what is wrong with it. */
export async function checkResponse(res: Response, options: { stream?: boolean; abort?: () => void } = {}): Promise<Checked> {
  const failures: string[] = [];
  const contentType = res.headers.get("content-type") ?? "";
  if (options.stream && res.status < 300 && contentType.startsWith("text/event-stream")) {
    await res.body?.cancel();
    options.abort?.();
    return { status: res.status, failures };
  }
  const text = await res.text();
  options.abort?.();
  if (res.status >= 500) failures.push(`status ${res.status} (must be < 500): ${text.slice(0, 500)}`);
  if (res.status >= 400) {
    if (!contentType.startsWith("application/problem+json")) failures.push(`${res.status} with content-type "${contentType}", not application/problem+json`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`${res.status} body is not JSON: ${text.slice(0, 200)}`);
    }
    if (body !== undefined) {
      const p = body as Record<string, unknown>;
      if (typeof p !== "object" || p === null || Array.isArray(p)) failures.push(`${res.status} problem is not an object`);
      else {
        if (p.status !== res.status) failures.push(`problem.status ${JSON.stringify(p.status)} ≠ response status ${res.status}`);
        if (typeof p.title !== "string" || p.title === "") failures.push(`problem.title is not a non-empty string: ${JSON.stringify(p.title)}`);
        if (typeof p.detail !== "string" || p.detail === "") failures.push(`problem.detail is not a non-empty string: ${JSON.stringify(p.detail)}`);
      }
    }
    // `instance` echoes the request path (fuzzed params and all) by design: everything else is scanned.
    const scanned = body && typeof body === "object" ? JSON.stringify({ ...(body as object), instance: undefined }) : text;
    for (const re of LEAKS) if (re.test(scanned)) failures.push(`${res.status} body leaks internals (${re}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, failures };
}

/** A short printable account of a request, for failure messages. */
export function describeRequest(request: Request, body: string): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  const headers = [...request.headers].map(([k, v]) => `  ${k}: ${JSON.stringify(cut(v, 120))}`).join("\n");
  return `${request.method} ${cut(request.url, 300)}\n${headers}\n  body: ${cut(body, 400)}`;
}

/** Rejects when `promise` has not settled within `ms` (a hung handler is reported, not waited on). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** HTTP methods a Next.js route file may export. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Route files under `dir` (recursively), relative to `root`, sorted. */
export function findRouteFiles(root: string, dir = "app/api"): string[] {
  return (readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => /(^|\/)route\.(ts|tsx|js|mjs)$/.test(f))
    .map((f) => `${dir}/${f}`)
    .sort();
}

/** "file METHOD" keys of discovered handlers missing from the table, and table entries with no handler. */
export function coverageGaps(discovered: readonly string[], table: readonly string[]): { missing: string[]; stale: string[] } {
  return { missing: discovered.filter((k) => !table.includes(k)), stale: table.filter((k) => !discovered.includes(k)) };
}
