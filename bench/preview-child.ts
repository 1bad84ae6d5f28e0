/**
 * The previews scenario's measuring process: `tsx --conditions=react-server bench/preview-child.ts <case>`
 * with DATA_DIR and the case's input set by bench/scenarios/previews.ts. In a fresh process (nothing
 * else in its heap): adds the case's file to the embedded IPFS node (generated and streamed, or from
 * a file on disk), then times the preview once cold and PREVIEW_RUNS times warm — bytes read from the
 * node, RSS growth — and the AI agent's reading of the same file. Prints one JSON line.
 */
import "@/lib/ipfs/polyfill";

import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";

import { getEnv } from "@/lib/config/env";
import { addContent } from "@/lib/ipfs/content";
import { stopIpfs } from "@/lib/ipfs/node";
import { computePreview, storedReader } from "@/lib/previews/contribution-preview";
import { runAlpha } from "@/lib/verification/agents/alpha";
import { agentInput } from "@/lib/verification/agents/inspect";

import { RssSampler } from "./process-metrics";
import { CASES, type PreviewCase, type PreviewCaseResult } from "./preview-cases";

const PREVIEW_RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure<T>(sampler: RssSampler, fn: () => Promise<T>): Promise<{ ms: number; growth: number; result: T }> {
  const before = sampler.mark();
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  return { ms, growth: (await sampler.peak()) - before, result };
}

async function main(): Promise<void> {
  const name = process.argv[2] as PreviewCase["name"];
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(`unknown case ${name}`);
  const source = process.env.PREVIEW_FILE ? createReadStream(process.env.PREVIEW_FILE, { highWaterMark: 1024 * 1024 }) : c.generate!();
  const added = await addContent(source as AsyncIterable<Uint8Array>);
  const file = { cid: added.content.cid, size: added.content.size, mediaType: c.mediaType, name: c.fileName };

  const sampler = new RssSampler(process.pid, false);
  await sampler.ready();
  // Settle the heap the upload left before measuring growth.
  global.gc?.();
  const cold = await measure(sampler, () => computePreview(file));
  const warm: { ms: number; growth: number; bytesRead: number }[] = [];
  for (let i = 0; i < PREVIEW_RUNS; i++) {
    const run = await measure(sampler, () => computePreview(file));
    warm.push({ ms: run.ms, growth: run.growth, bytesRead: run.result.bytesRead });
  }
  const { AGENT_MAX_BYTES, AGENT_MAX_FILES } = getEnv();
  const agent = await measure(sampler, async () => {
    const reader = storedReader(file.cid, file.size, AGENT_MAX_BYTES);
    const input = await agentInput({ fileType: c.fileType, mediaType: c.mediaType, fileName: c.fileName, size: file.size, title: c.fileName, description: "", metadata: {} }, reader, { maxFiles: AGENT_MAX_FILES, maxBytes: AGENT_MAX_BYTES });
    return { verdict: runAlpha(input), bytesRead: reader.bytesRead, files: input.inspection.files.length };
  });
  await sampler.stop();
  await stopIpfs();
  const p = cold.result.preview;
  const result: PreviewCaseResult = {
    name,
    size: file.size,
    kind: p.kind,
    shown: p.kind === "table" ? `${p.rows.length} rows × ${p.columns.length} columns${p.total_rows !== undefined ? ` of ${p.total_rows.toLocaleString("en")} rows` : ""}` : p.kind === "archive" ? `${p.shown} of ${p.listing.entries.length} entries${p.listing.partial ? " (partial)" : ""}` : p.kind,
    coldMs: cold.ms,
    warmMs: median(warm.map((w) => w.ms)),
    bytesRead: cold.result.bytesRead,
    rssGrowth: Math.max(cold.growth, ...warm.map((w) => w.growth)),
    agent: { ms: agent.ms, bytesRead: agent.result.bytesRead, files: agent.result.files, score: agent.result.verdict.voteScore, growth: agent.growth, reasoning: agent.result.verdict.reasoning.slice(0, 160) },
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
