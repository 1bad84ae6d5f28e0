import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import { hasProductionBuild, notBuilt, removeBenchUser, serverEnv, signIn, startServer, stopServer, type Server } from "../app-server";
import { formatMiB, type Check, type Scenario } from "../harness";
import { processCpuSeconds, RssSampler } from "../process-metrics";

const MiB = 2 ** 20;
/** Growth allowed for the server while an export streams (issue 19 §3). */
const RSS_BUDGET = 32 * MiB;
/** The slow client reads this fast, for this long, then hangs up: the server must not buffer ahead. */
const SLOW_BYTES_PER_SECOND = 2e6;
const SLOW_SECONDS = 8;
/** Ports this scenario's server may take (BENCH_EXPORT_PORTS=from-to overrides). */
const PORTS = (() => {
  const [from, to] = (process.env.BENCH_EXPORT_PORTS ?? "3400-3499").split("-").map(Number);
  return { from: from!, to: to! };
})();

interface Streamed {
  status: number;
  bytes: number;
  lines: number;
  seconds: number;
  firstByteMs: number;
}

/** GETs `url` and reads the answer as fast as it comes (or at `bytesPerSecond`, hanging up after `maxSeconds`), counting LF line ends. */
function stream(url: string, cookie: string, o: { bytesPerSecond?: number; maxSeconds?: number; maxLines?: number } = {}): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers: { cookie }, agent: false });
    req.on("response", (res) => {
      let bytes = 0;
      let lines = 0;
      let firstByteMs = -1;
      const done = () => resolve({ status: res.statusCode!, bytes, lines, seconds: (performance.now() - started) / 1000, firstByteMs });
      res.on("data", (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = performance.now() - started;
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (o.maxLines !== undefined && lines > o.maxLines) {
          req.destroy();
          return done();
        }
        if (o.bytesPerSecond) {
          const elapsed = (performance.now() - started) / 1000;
          if (o.maxSeconds && elapsed > o.maxSeconds) {
            req.destroy();
            return done();
          }
          const ahead = bytes / o.bytesPerSecond - elapsed;
          if (ahead > 0) {
            res.pause();
            setTimeout(() => res.resume(), ahead * 1000);
          }
        }
      });
      res.on("end", done);
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/**
 * Exports (issue 19 §3): the whole contributions table (1M rows at default scale, from the seed's
 * generate_series) streamed through `next start` as CSV and NDJSON by a signed-in admin, the server's
 * RSS sampled from /proc; then a slow client that hangs up; then the first page of the votes export
 * (revealed votes: a join and a keyset on verifications.created_at, which has no index of its own).
 */
export const exportsScenario: Scenario = {
  name: "exports",
  title: "admin exports: 1M-row CSV and NDJSON streamed through the server",
  async run({ sql, databaseUrl }) {
    if (!hasProductionBuild()) return notBuilt("exports");
    const scenarioStarted = performance.now();
    const loadAtStart = os.loadavg()[0]!;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-exports-"));
    const env = { ...serverEnv(databaseUrl, dataDir), WORKERS: "off" };
    let server: Server | undefined;
    let sampler: RssSampler | undefined;
    let signedIn: { cookie: string; address: string; nonce: string } | undefined;
    try {
      server = await startServer(env, PORTS);
      sampler = new RssSampler(server.child.pid!, true);
      await sampler.ready();
      signedIn = await signIn(server.origin);
      await sql`UPDATE users SET roles = '{contributor,admin}' WHERE address = ${signedIn.address}`;
      const { cookie } = signedIn;
      const [{ n: total } = { n: 0 }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM contributions`;
      const url = (dataset: string, query: string) => `${server!.origin}/api/v1/admin/exports/${dataset}?${query}`;

      // Warm-up: the route loaded, the pool open, a few pages through.
      const warm = await stream(url("contributions", "format=csv&status=pending"), cookie, { bytesPerSecond: 50e6, maxSeconds: 3 });
      if (warm.status !== 200) throw new Error(`warm-up export answered ${warm.status}`);
      await sleep(1500);
      const baseline = sampler.current();

      const measured = async (dataset: string, query: string) => {
        const before = sampler!.mark();
        const cpuBefore = processCpuSeconds(server!.child.pid!);
        const result = await stream(url(dataset, query), cookie);
        const peak = await sampler!.peak();
        return { ...result, before, peak, cpu: processCpuSeconds(server!.child.pid!) - cpuBefore };
      };
      const csv = await measured("contributions", "format=csv");
      await sleep(1000);
      const ndjson = await measured("contributions", "format=ndjson");
      await sleep(1000);
      const slowBefore = sampler.mark();
      const slow = await stream(url("contributions", "format=csv"), cookie, { bytesPerSecond: SLOW_BYTES_PER_SECOND, maxSeconds: SLOW_SECONDS });
      const slowPeak = await sampler.peak();
      await sleep(500);
      // The header line, then the first page's rows: hang up once one is in.
      const votesFirst = await stream(url("votes", "format=csv"), cookie, { maxLines: 1 });

      const audits = await sql<{ dataset: string; format: string; rows: number | null; completed: boolean }[]>`
        SELECT details->>'dataset' AS dataset, details->>'format' AS format, (details->>'rows')::int AS rows, (details->>'completed')::boolean AS completed
        FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'export' AND u.address = ${signedIn.address} ORDER BY a.created_at`;
      // The full CSV export's entry (the warm-up's is a csv one too, of fewer rows).
      const csvAudit = audits.filter((a) => a.format === "csv" && a.completed).sort((a, b) => (b.rows ?? 0) - (a.rows ?? 0))[0];
      const rate = (s: { lines: number; seconds: number }, header: number) => Math.round((s.lines - header) / s.seconds);
      const mib = (b: number) => formatMiB(b);
      const growth = (p: { peak: number }) => p.peak - baseline;
      const rows: string[][] = [
        ["CSV, all contributions", (csv.lines - 1).toLocaleString("en"), mib(csv.bytes), csv.seconds.toFixed(1), rate(csv, 1).toLocaleString("en"), csv.firstByteMs.toFixed(0), mib(baseline), mib(csv.peak), mib(growth(csv)), csv.cpu.toFixed(1)],
        ["NDJSON, all contributions", ndjson.lines.toLocaleString("en"), mib(ndjson.bytes), ndjson.seconds.toFixed(1), rate(ndjson, 0).toLocaleString("en"), ndjson.firstByteMs.toFixed(0), mib(baseline), mib(ndjson.peak), mib(growth(ndjson)), ndjson.cpu.toFixed(1)],
        [`CSV, client at ${SLOW_BYTES_PER_SECOND / 1e6} MB/s, hangs up after ${SLOW_SECONDS} s`, slow.lines.toLocaleString("en"), mib(slow.bytes), slow.seconds.toFixed(1), rate(slow, 1).toLocaleString("en"), slow.firstByteMs.toFixed(0), mib(slowBefore), mib(slowPeak), mib(slowPeak - baseline), "—"],
        ["votes CSV: until its first row", "—", "—", (votesFirst.seconds).toFixed(2), "—", votesFirst.firstByteMs.toFixed(0), "—", "—", "—", "—"],
      ];
      const checks: Check[] = [
        { label: `CSV export: every row (${(csv.lines - 1).toLocaleString("en")} of ${total.toLocaleString("en")}), 200`, pass: csv.status === 200 && csv.lines - 1 === total },
        { label: `NDJSON export: every row (${ndjson.lines.toLocaleString("en")} of ${total.toLocaleString("en")}), 200`, pass: ndjson.status === 200 && ndjson.lines === total },
        { label: `server RSS growth ≤ ${RSS_BUDGET / MiB} MiB while the CSV streams (${mib(growth(csv))} MiB)`, pass: growth(csv) <= RSS_BUDGET },
        { label: `server RSS growth ≤ ${RSS_BUDGET / MiB} MiB while the NDJSON streams (${mib(growth(ndjson))} MiB)`, pass: growth(ndjson) <= RSS_BUDGET },
        { label: `server RSS growth ≤ ${RSS_BUDGET / MiB} MiB with a slow client (${mib(slowPeak - baseline)} MiB)`, pass: slowPeak - baseline <= RSS_BUDGET },
        { label: `audited: the CSV export's row count (${csvAudit?.rows ?? "none"}) and the slow one marked cut short`, pass: csvAudit?.rows === total && audits.some((a) => a.completed === false) },
      ];
      return {
        columns: ["export", "rows", "MiB", "s", "rows/s", "first byte ms", "RSS before MiB", "RSS peak MiB", "growth vs baseline MiB", "server CPU s"],
        rows,
        checks,
        notes: [
          `Admin exports through \`next start\` (WORKERS=off) on the bench database: GET /api/v1/admin/exports/contributions as a SIWE-signed-in admin, read by a plain node:http client. ` +
            `Keyset pages of 500 rows (created_at, id), each its own statement that returns the page encoded by PostgreSQL as one text (forwarded as one chunk); the response is pulled a page at a time, so a slow reader holds the server to its pace; every 2 MiB streamed, if more than 16 MiB of ArrayBuffers are held, a full collection frees the dead ones (lib/exports/reclaim.ts). ` +
            `Server RSS (the process tree, sampled every 100 ms) baseline ${mib(baseline)} MiB after a warm-up export; "growth vs baseline" is the checked figure. ` +
            `The votes export (revealed votes only, joined to contributions) is timed to its first row ("s"; its first byte is the header): verifications has no (created_at, id) index of its own, so each keyset page of a full votes export scans (rewards and payments lack one too).`,
          `Load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (${os.availableParallelism()} CPUs); the scenario took ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s.`,
        ],
      };
    } finally {
      await sampler?.stop();
      if (server) await stopServer(server);
      if (signedIn) await removeBenchUser(sql, signedIn.address, [signedIn.nonce]).catch((error: unknown) => console.error("could not remove the benchmark user:", error));
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
