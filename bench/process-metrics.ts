import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";

/** How often the RSS sampler reads /proc, in ms. */
export const SAMPLE_MS = 100;

// ---------------------------------------------------------------------------------------------
// RSS sampling: a worker thread reads /proc every 100 ms, so a busy benchmark event loop does not
// delay samples. Values (kB) go to shared memory: [current, peak since mark, samples, stop].

const SAMPLER = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { pid, tree, state, every } = workerData;
const s = new Int32Array(state);
let pids = [pid];
let ticks = 0;
function descendants() {
  const parentOf = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync("/proc/" + entry + "/stat", "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parentOf) if (parent === out[i]) out.push(child);
  return out;
}
function rssKb(p) {
  try {
    const m = /VmRSS:\\s+(\\d+)/.exec(fs.readFileSync("/proc/" + p + "/status", "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function sample() {
  if (Atomics.load(s, 3)) return clearInterval(timer);
  if (tree && ticks++ % 10 === 0) pids = descendants();
  let kb = 0;
  for (const p of pids) kb += rssKb(p);
  Atomics.store(s, 0, kb);
  let peak = Atomics.load(s, 1);
  while (kb > peak) {
    const seen = Atomics.compareExchange(s, 1, peak, kb);
    if (seen === peak) break;
    peak = seen;
  }
  Atomics.add(s, 2, 1);
}
const timer = setInterval(sample, every);
sample();
`;

export class RssSampler {
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;

  /** `tree`: the process and all its descendants, summed. */
  constructor(pid: number, tree: boolean) {
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { pid, tree, state: this.state.buffer, every: SAMPLE_MS } });
    this.worker.unref();
  }

  async ready(): Promise<void> {
    while (Atomics.load(this.state, 2) === 0) await sleep(10);
  }

  current(): number {
    return Atomics.load(this.state, 0) * 1024;
  }

  /** Starts a phase: its peak starts from the current value. Returns that value. */
  mark(): number {
    const now = Atomics.load(this.state, 0);
    Atomics.store(this.state, 1, now);
    return now * 1024;
  }

  /** Highest value since the last mark, after one more sample interval. */
  async peak(): Promise<number> {
    await sleep(2 * SAMPLE_MS);
    return this.peakSoFar();
  }

  peakSoFar(): number {
    return Atomics.load(this.state, 1) * 1024;
  }

  async stop(): Promise<void> {
    Atomics.store(this.state, 3, 1);
    await this.worker.terminate();
  }
}

/** CPU seconds (user + system, all threads) a process has used so far; Linux clock ticks are 1/100 s. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process and all its descendants (from /proc), for summing a server's process tree. */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parentOf) if (parent === out[i]) out.push(child);
  return out;
}

/** CPU seconds used so far by a process and its descendants. */
export function treeCpuSeconds(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += processCpuSeconds(p);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
