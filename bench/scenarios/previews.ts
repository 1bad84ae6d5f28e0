import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { formatMiB, type Check, type Scenario } from "../harness";
import { CASES, type PreviewCase, type PreviewCaseResult } from "../preview-cases";

const MiB = 2 ** 20;
const PREVIEW_BUDGET = 8 * MiB;
const AGENT_BUDGET = 8 * MiB;
const WARM_MS = 300;
const RSS_BUDGET = 32 * MiB;
const AGENT_SECONDS = 5;

async function run(script: string, args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--expose-gc", "--conditions=react-server", "--import", "tsx", path.join("bench", script), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`bench/${script} ${args.join(" ")} failed (${code}): ${err.trim().slice(-2000)}`);
  return out.trim().split("\n").at(-1)!;
}

/** One case in a fresh process and a fresh node; Parquet files are written to disk first by parquet-gen.ts. */
async function measureCase(c: PreviewCase, size: number): Promise<PreviewCaseResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `nwu-bench-preview-${c.name}-`));
  try {
    const env: Record<string, string> = { DATA_DIR: dataDir, PREVIEW_SIZE: String(size), AGENT_MAX_BYTES: String(AGENT_BUDGET), AGENT_MAX_FILES: "200" };
    if (c.rowGroup) {
      env.PREVIEW_FILE = path.join(dataDir, c.fileName);
      await run("parquet-gen.ts", [env.PREVIEW_FILE, String(c.rowGroup), String(size)], {});
    }
    return JSON.parse(await run("preview-child.ts", [c.name], env)) as PreviewCaseResult;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export const previews: Scenario = {
  name: "previews",
  title: "previews and the AI agent's reading of large files: time, bytes read from the node, RSS",
  async run(ctx) {
    const started = performance.now();
    const results: PreviewCaseResult[] = [];
    for (const c of CASES) results.push(await measureCase(c, c.name === "zip-10k" ? 0 : ctx.fileSize));
    const of = (name: PreviewCase["name"]) => results.find((r) => r.name === name)!;
    const checks: Check[] = [];
    for (const name of ["csv", "ndjson", "zip-10k"] as const) {
      const r = of(name);
      checks.push(
        { label: `${name}: first page ≤ ${WARM_MS} ms warm (${r.warmMs.toFixed(0)} ms)`, pass: r.warmMs <= WARM_MS },
        { label: `${name}: ≤ 8 MiB read from the node (${kib(r.bytesRead)})`, pass: r.bytesRead <= PREVIEW_BUDGET },
        { label: `${name}: RSS growth ≤ 32 MiB (${formatMiB(r.rssGrowth)} MiB)`, pass: r.rssGrowth <= RSS_BUDGET },
      );
    }
    for (const name of ["parquet-16", "parquet-128"] as const) {
      const r = of(name);
      checks.push({ label: `${name}: the footer and the first rows' pages only, ≤ 8 MiB (${kib(r.bytesRead)}), first page shown (${r.shown})`, pass: r.bytesRead <= PREVIEW_BUDGET && r.kind === "table" && r.shown.startsWith("100 rows") });
    }
    for (const r of results) {
      checks.push({ label: `agent on ${r.name}: reads ≤ AGENT_MAX_BYTES (${kib(r.agent.bytesRead)}) and finishes within ${AGENT_SECONDS} s (${(r.agent.ms / 1000).toFixed(2)} s)`, pass: r.agent.bytesRead <= AGENT_BUDGET && r.agent.ms <= AGENT_SECONDS * 1000 });
    }
    return {
      columns: ["file", "size MiB", "preview", "shown", "cold ms", "warm ms (median of 5)", "read from node", "RSS growth MiB", "agent s", "agent read", "agent files", "agent score"],
      rows: results.map((r) => {
        const c = CASES.find((x) => x.name === r.name)!;
        return [c.label, formatMiB(r.size), r.kind, r.shown, r.coldMs.toFixed(0), r.warmMs.toFixed(0), kib(r.bytesRead), formatMiB(r.rssGrowth), (r.agent.ms / 1000).toFixed(2), kib(r.agent.bytesRead), String(r.agent.files), String(r.agent.score ?? "abstained")];
      }),
      checks,
      notes: [
        `Each file is generated 1 MiB at a time (CSV and NDJSON: weather readings, 6 columns; a stored zip of 10,000 two-line CSV files; a repository tar: README, LICENSE, a test and 100 KiB Python modules; Parquet: an INT32 id and four random DOUBLE columns, uncompressed, 1 MiB pages, hyparquet-writer's offset index, row groups of 16 and 128 MiB, written to disk by bench/parquet-gen.ts) and added to a fresh embedded IPFS node in a fresh process (bench/preview-child.ts), which then computes the preview (lib/previews computePreview, as the preview job does) once cold and 5 times warm, then runs the AI agent's inspection and analysis (AGENT_MAX_BYTES ${formatMiB(AGENT_BUDGET)} MiB, AGENT_MAX_FILES 200).`,
        `"read from node" counts the bytes the preview's ranged reader fetched (64 KiB windows; a tar header after a large entry loads the 1 MiB storage block holding it, counted whole). RSS growth is the process's peak during a preview minus its RSS just before (sampled every 100 ms from /proc by a worker thread), worst of the 6 runs. Agent rows: agent details — ${results.map((r) => `${r.name}: ${r.agent.reasoning}`).join(" | ")}.`,
        `The scenario took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
      ],
    };
  },
};
