/**
 * Where a server's CPU went, from a .cpuprofile (bench/cpu-profile-preload.mjs): self time by layer.
 * `tsx bench/cpu-profile.ts <file.cpuprofile>` prints a Markdown table (share of busy time, idle excluded).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const LAYERS: [string, (url: string, fn: string) => boolean][] = [
  ["garbage collection", (_u, fn) => fn === "(garbage collector)"],
  ["Next.js (routing, request handling, tracing)", (u) => u.includes("node_modules/next/")],
  ["Web Request/Response, fetch body, AbortSignal (undici)", (u) => u.includes("deps/undici") || u.includes("abort_controller") || u.includes("webstreams") || u.includes("js_transferable")],
  ["AsyncLocalStorage, promise hooks", (u) => u.includes("async_hooks") || u.includes("promise_hooks")],
  ["postgres.js (protocol, row parsing)", (u) => u.includes("node_modules/postgres/")],
  ["the app's code (.next/server chunks)", (u) => u.includes("/.next/server/")],
  ["node:http, net, streams, buffers", (u) => /node:(?:_http|http|net|stream|internal\/streams|buffer|events)/.test(u) || u.includes("internal/streams")],
  ["native (JSON, string encoding, writev…)", (u) => u === ""],
];

export function breakdown(profile: Profile): { layer: string; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") return;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    const layer = LAYERS.find(([, test]) => test(frame.url, frame.functionName))?.[0] ?? "other Node internals";
    totals.set(layer, (totals.get(layer) ?? 0) + dt);
  });
  return [...totals].map(([layer, t]) => ({ layer, share: t / busy })).sort((a, b) => b.share - a.share);
}

if (process.argv[1]?.endsWith("cpu-profile.ts")) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/cpu-profile.ts <file.cpuprofile>");
  const rows = breakdown(JSON.parse(readFileSync(file, "utf8")) as Profile);
  console.log("| layer | share of busy CPU |\n| --- | --- |");
  for (const r of rows) console.log(`| ${r.layer} | ${(100 * r.share).toFixed(1)} % |`);
}
