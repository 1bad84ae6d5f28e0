/**
 * `npm run bench -- [scenario...] [--scale small|default] [--iterations N] [--reseed] [--file-size 1GiB]`
 * Runs benchmark scenarios against a separate `<name>_bench` PostgreSQL database (see bench/README.md).
 */
import os from "node:os";
import { parseArgs } from "node:util";

import type { Sql } from "postgres";

import { openDatabase } from "@/db/client";
import { describeDbError } from "@/db/errors";
import { loadEnvOrExit } from "@/lib/config/env";

import { BenchError, benchDatabaseUrl, ensureDatabase, prepareDatabase } from "./database";
import { parseByteSize, type Scenario } from "./harness";
import { markdownTable, renderChecks, renderSection, RESULTS_FILE, writeResults } from "./report";
import { apiKeyOverhead } from "./scenarios/api-key-overhead";
import { consensus } from "./scenarios/consensus";
import { contributionList } from "./scenarios/contribution-list";
import { exportsScenario } from "./scenarios/exports";
import { faults } from "./scenarios/faults";
import { fileTransfer } from "./scenarios/file-transfer";
import { firstLoadJsScenario } from "./scenarios/first-load-js";
import { load } from "./scenarios/load";
import { previews } from "./scenarios/previews";
import { userEndpoints } from "./scenarios/user-endpoints";
import { revenueShare } from "./scenarios/revenue-share";
import { userStats } from "./scenarios/user-stats";
import { SCALES, type ScaleName, type SeedInfo } from "./seed";

const SCENARIOS: Scenario[] = [userStats, fileTransfer, contributionList, userEndpoints, apiKeyOverhead, firstLoadJsScenario, load, faults, consensus, previews, exportsScenario, revenueShare];

const USAGE = `usage: npm run bench -- [${SCENARIOS.map((s) => s.name).join("|")}...] [--scale small|default] [--iterations N] [--reseed] [--file-size 1GiB]`;

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        scale: { type: "string", default: "default" },
        iterations: { type: "string", default: "10" },
        reseed: { type: "boolean", default: false },
        "file-size": { type: "string", default: "1GiB" },
      },
    });
  } catch (error) {
    throw new BenchError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (!(values.scale in SCALES)) throw new BenchError(`--scale must be small or default\n${USAGE}`);
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1) throw new BenchError(`--iterations must be a whole number ≥ 1\n${USAGE}`);
  const fileSize = parseByteSize(values["file-size"]);
  if (fileSize === undefined) throw new BenchError(`--file-size must be a size such as 1GiB, 256MiB or 500MB\n${USAGE}`);
  const unknown = positionals.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new BenchError(`unknown scenario ${unknown.join(", ")}\n${USAGE}`);
  const scenarios = positionals.length ? SCENARIOS.filter((s) => positionals.includes(s.name)) : SCENARIOS;
  return { scale: values.scale as ScaleName, iterations, reseed: values.reseed, fileSize, scenarios };
}

async function header(sql: Sql, scale: ScaleName, seedInfo: SeedInfo): Promise<string> {
  const [server] = await sql`SHOW server_version`;
  const [counts] = await sql`
    SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM contributions) AS contributions,
      (SELECT count(*) FROM verifications) AS verifications, (SELECT count(*) FROM rewards) AS rewards`;
  const rows = Object.entries(counts!)
    .map(([table, n]) => `${Number(n).toLocaleString("en")} ${table}`)
    .join(", ");
  return [
    `Last run ${new Date().toISOString()}`,
    "",
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB memory`,
    `- Node ${process.version}, PostgreSQL ${server!.server_version}`,
    `- scale: ${scale}: ${rows} (seeded in ${seedInfo.seedSeconds.toFixed(0)} s)`,
  ].join("\n");
}

async function main(): Promise<void> {
  const cli = parseCli();
  const env = loadEnvOrExit();
  const url = benchDatabaseUrl(env.DATABASE_URL, process.env.BENCH_DATABASE_URL?.trim() || undefined);
  await ensureDatabase(url);
  // Two connections let the seeder insert two chunks at once; seeding statements run for minutes.
  const handle = openDatabase({ ...env, DATABASE_URL: url, DB_POOL_MAX: 2, DB_STATEMENT_TIMEOUT_MS: 600_000 });
  try {
    const seedInfo = await prepareDatabase(handle, cli.scale, cli.reseed);
    const top = await header(handle.sql!, cli.scale, seedInfo);
    console.log(`\n${top}`);
    for (const scenario of cli.scenarios) {
      console.log(`\n## ${scenario.name}: ${scenario.title}\n`);
      const result = await scenario.run({
        db: handle.db,
        sql: handle.sql!,
        iterations: cli.iterations,
        databaseUrl: url,
        fileSize: cli.fileSize,
      });
      console.log(`${markdownTable(result.columns, result.rows)}\n\n${renderChecks(result)}`);
      const runLine = `Measured ${new Date().toISOString()} at scale ${cli.scale}, --iterations ${cli.iterations}.`;
      writeResults(top, scenario.name, renderSection(scenario, result, runLine));
      if (result.checks.some((check) => !check.pass && !check.goal)) process.exitCode = 1;
    }
    console.log(`\nwritten to ${RESULTS_FILE}`);
  } finally {
    await handle.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof BenchError ? error.message : `bench failed: ${describeDbError(error)}`);
  process.exit(1);
}
