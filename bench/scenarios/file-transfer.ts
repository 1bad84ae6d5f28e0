import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import {
  hasProductionBuild,
  jobSettled,
  notBuilt,
  readBody,
  removeBenchUser,
  serverEnv,
  signIn,
  startServer,
  stopServer,
  upload,
  type Progress,
  type Server,
} from "../app-server";
import { formatMiB, formatRatio, type Check, type Scenario } from "../harness";
import type { NodeReadKind, NodeReadResult } from "../node-read";
import { processCpuSeconds, RssSampler, SAMPLE_MS } from "../process-metrics";
import { generatedSha256, tusUpload } from "../tus-upload";

const MiB = 2 ** 20;
/** Throughput unit: MB = 10^6 bytes. */
const MB = 1e6;
/** Growth allowed for the server while a transfer runs. */
const RSS_BUDGET = 64 * MiB;
/** Issue #21 §4: an upload after a warm-up keeps a margin under the 64 MiB bound; the very first upload of a fresh server (one-time set-up included) stays within it. */
const UPLOAD_RSS_BUDGET = 48 * MiB;
const THROTTLE_BYTES_PER_SECOND = 10 * MB;
/** The throttled client reads this much (or the whole file if smaller), then hangs up. */
const THROTTLED_MAX_BYTES = 256 * MiB;
const WARMUP_BYTES = 4 * MiB;
/** Full downloads measured for RSS in the first server session. */
const FULL_DOWNLOADS = 2;
/** Rounds of (fresh server: one timed download) then (server stopped: each node read once). */
const ROUNDS = 3;

interface Downloaded {
  bytes: number;
  seconds: number;
  sha256: string;
}

/** GET the file, hashing and discarding; optionally at a capped reading rate and only a prefix. */
async function download(
  server: Server,
  id: string,
  options: { maxBytes?: number; bytesPerSecond?: number; progress?: Progress } = {},
): Promise<Downloaded> {
  const started = performance.now();
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(new URL(`/api/v1/contributions/${id}/file`, server.origin), resolve).once("error", reject);
  });
  if (response.statusCode !== 200) throw new Error(`download answered ${response.statusCode}: ${await readBody(response)}`);
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    const take = Math.min(chunk.byteLength, (options.maxBytes ?? Infinity) - bytes);
    hash.update(take === chunk.byteLength ? chunk : chunk.subarray(0, take));
    bytes += take;
    options.progress?.(bytes);
    if (bytes >= (options.maxBytes ?? Infinity)) break; // hangs up: the server must stop reading
    if (options.bytesPerSecond) {
      const wait = started + (bytes / options.bytesPerSecond) * 1000 - performance.now();
      if (wait > 1) await sleep(wait);
    }
  }
  return { bytes, seconds: (performance.now() - started) / 1000, sha256: hash.digest("hex") };
}

// ---------------------------------------------------------------------------------------------
// Floors: the same bytes read straight from the data folder by bench/node-read.ts, each read in a
// fresh process (in this one, the heap left by the transfers made the same read cost 2–3× the CPU).

type Floor = NodeReadKind;

async function nodeRead(kind: Floor, dataDir: string, file: { cid: string; size: number }, warm: { cid: string; size: number }): Promise<NodeReadResult> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("bench", "node-read.ts"), kind, file.cid, String(file.size), warm.cid, String(warm.size)],
    { env: { ...process.env, DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (data: Buffer) => (out += data.toString("utf8")));
  child.stderr!.on("data", (data: Buffer) => (err += data.toString("utf8")));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`bench/node-read.ts ${kind} failed (${code}): ${err.trim()}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as NodeReadResult;
}
const mbps = (bytes: number, seconds: number) => bytes / MB / seconds;

const ownCpuSeconds = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const formatSize = (bytes: number) => (bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30} GiB` : `${formatMiB(bytes)} MiB`);

function shuffled<T>(items: readonly T[]): T[] {
  return items
    .map((item) => [Math.random(), item] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item);
}

/** The server's environment for this scenario: the upload cap raised when --file-size is over the default 1 GiB. */
function transferEnv(databaseUrl: string, dataDir: string, fileSize: number): NodeJS.ProcessEnv {
  const env = serverEnv(databaseUrl, dataDir);
  if (fileSize > 2 ** 30) env.MAX_UPLOAD_BYTES = String(fileSize);
  return env;
}

/**
 * The very first upload of a freshly started server (its own empty DATA_DIR): nothing warmed up,
 * so the IPFS node, the upload route's modules and the pool are set up during this upload.
 * Growth = peak during the upload − RSS once signed in.
 */
async function firstUploadOfFreshServer(sql: Parameters<Scenario["run"]>[0]["sql"], databaseUrl: string, fileSize: number, salt: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-file-transfer-first-"));
  const env = transferEnv(databaseUrl, dataDir, fileSize);
  const server = await startServer(env);
  const sampler = new RssSampler(server.child.pid!, true);
  let signedIn: Awaited<ReturnType<typeof signIn>> | undefined;
  try {
    await sampler.ready();
    signedIn = await signIn(server.origin);
    await sleep(1500);
    const before = sampler.mark();
    const result = await upload(server, signedIn.cookie, `benchmark first upload ${salt}`, fileSize, `${salt}f`);
    const peak = await sampler.peak();
    const job = await jobSettled(sql, result.id);
    return { before, peak, growth: peak - before, seconds: result.seconds, tailSeconds: result.tailSeconds, job };
  } finally {
    await sampler.stop();
    await stopServer(server);
    if (signedIn) await removeBenchUser(sql, signedIn.address, [signedIn.nonce]).catch((error: unknown) => console.error("could not remove the benchmark user:", error));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const fileTransfer: Scenario = {
  name: "file-transfer",
  title: "upload and download of a large file through the running production server",
  async run({ sql, databaseUrl, fileSize }) {
    if (!hasProductionBuild()) return notBuilt("file-transfer");
    const scenarioStarted = performance.now();
    const loadAtStart = os.loadavg()[0]!;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-file-transfer-"));
    const env = transferEnv(databaseUrl, dataDir, fileSize);

    const salt = randomBytes(4).toString("hex");
    let server: Server | undefined;
    let sampler: RssSampler | undefined;
    let signedIn: { cookie: string; address: string; nonce: string } | undefined;
    try {
      // ---- Session 0: the first upload of a fresh server, alone in its own data folder.
      const first = await firstUploadOfFreshServer(sql, databaseUrl, fileSize, salt);
      // ---- Session 1: upload, downloads and the slow client, with the server's RSS sampled.
      server = await startServer(env);
      sampler = new RssSampler(server.child.pid!, true);
      await sampler.ready();
      const processes = readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      const rssAtStart = sampler.current();

      signedIn = await signIn(server.origin);
      const { cookie } = signedIn;
      // Warm-up: loads the routes, starts the IPFS node and the job worker, opens the pool.
      const warm = await upload(server, cookie, `benchmark warm-up ${salt}`, WARMUP_BYTES, `${salt}w`);
      await download(server, warm.id);
      const warmJob = await jobSettled(sql, warm.id);
      await sleep(1500);
      const baseline = sampler.current();

      /**
       * Runs a transfer of `total` bytes. Records RSS when each quarter has moved, and the peak
       * up to the last byte apart from the peak after it (for an upload: pin + database row).
       */
      const phase = async <T>(total: number, fn: (progress: Progress) => Promise<T>) => {
        const s = sampler!;
        const before = s.mark();
        const quarters: number[] = [];
        let streamPeak: number | undefined;
        const result = await fn((bytes) => {
          while (quarters.length < 4 && bytes >= ((quarters.length + 1) / 4) * total) quarters.push(s.current());
          if (bytes >= total && streamPeak === undefined) {
            streamPeak = s.peakSoFar();
            s.mark();
          }
        });
        const tailPeak = await s.peak();
        return { result, before, quarters, streamPeak: streamPeak ?? tailPeak, tailPeak, peak: Math.max(streamPeak ?? 0, tailPeak) };
      };

      const up = await phase(fileSize, (progress) => upload(server!, cookie, `benchmark ${formatSize(fileSize)} ${salt}`, fileSize, salt, progress));
      const upJob = await jobSettled(sql, up.result.id);
      await sleep(1000);
      const downs: Awaited<ReturnType<typeof phase<Downloaded>>>[] = [];
      for (let i = 0; i < FULL_DOWNLOADS; i++) downs.push(await phase(fileSize, (progress) => download(server!, up.result.id, { progress })));
      const throttledBytes = Math.min(THROTTLED_MAX_BYTES, fileSize);
      const slow = await phase(throttledBytes, (progress) =>
        download(server!, up.result.id, { maxBytes: throttledBytes, bytesPerSecond: THROTTLE_BYTES_PER_SECOND, progress }),
      );
      await sleep(1000);
      const rssAfterHangUp = sampler.current();
      // The same bounds for binary data: random bytes uploaded as a dataset, then downloaded once.
      const binUp = await phase(fileSize, (progress) => upload(server!, cookie, `benchmark binary ${formatSize(fileSize)} ${salt}`, fileSize, `${salt}b`, progress, "binary"));
      const binJob = await jobSettled(sql, binUp.result.id);
      await sleep(1000);
      const binDown = await phase(fileSize, (progress) => download(server!, binUp.result.id, { progress }));
      // Resumable (tus): the same size in one PATCH, then with the connection cut halfway and resumed from the server's offset.
      const tusWhole = await phase(fileSize, (progress) => tusUpload(server!, cookie, `benchmark tus ${salt}`, fileSize, `${salt}t`, { progress }));
      const tusWholeJob = await jobSettled(sql, tusWhole.result.id);
      await sleep(1000);
      const tusCut = await phase(fileSize, (progress) => tusUpload(server!, cookie, `benchmark tus resumed ${salt}`, fileSize, `${salt}r`, { cutAt: Math.floor(fileSize / 2), progress }));
      const tusCutJob = await jobSettled(sql, tusCut.result.id);
      await sampler.stop();
      sampler = undefined;
      await stopServer(server);
      server = undefined;
      const loadAfterSession = os.loadavg()[0]!;

      // ---- Speed rounds: app downloads and node reads alternate, so both see the same machine.
      // The server holds the block store, so node reads run while it is stopped.
      const roundDownloads: Downloaded[] = [];
      const downloadCpu: { server: number; client: number }[] = [];
      const floors: Record<Floor, { seconds: number[]; cpu: number[]; growth: number[]; bytes: number }> = {
        readContent: { seconds: [], cpu: [], growth: [], bytes: 0 },
        "exporter-windowed": { seconds: [], cpu: [], growth: [], bytes: 0 },
        "exporter-cat": { seconds: [], cpu: [], growth: [], bytes: 0 },
      };
      const timeFloor = async (kind: Floor) => {
        const result = await nodeRead(kind, dataDir, { cid: up.result.cid, size: fileSize }, { cid: warm.cid, size: WARMUP_BYTES });
        floors[kind].bytes = result.bytes;
        floors[kind].seconds.push(result.seconds);
        floors[kind].cpu.push(result.cpuSeconds);
        floors[kind].growth.push(result.rssGrowth);
      };
      for (let round = 0; round < ROUNDS; round++) {
        server = await startServer(env);
        await download(server, warm.id);
        const [serverCpu, clientCpu] = [processCpuSeconds(server.child.pid!), ownCpuSeconds()];
        const timedDownload = await download(server, up.result.id);
        downloadCpu.push({ server: processCpuSeconds(server.child.pid!) - serverCpu, client: ownCpuSeconds() - clientCpu });
        if (timedDownload.sha256 !== up.result.sha256) throw new Error(`round ${round + 1}: downloaded bytes differ from the upload`);
        roundDownloads.push(timedDownload);
        await stopServer(server);
        server = undefined;
        for (const kind of shuffled(["readContent", "exporter-windowed"] as const)) await timeFloor(kind);
      }
      // Once, last: it requests every block at once (its reader RSS shows what that costs).
      await timeFloor("exporter-cat");
      const loadAtEnd = os.loadavg()[0]!;

      const floorSpeed = (kind: Floor) => mbps(fileSize, median(floors[kind].seconds));
      const perGiB = (cpu: number[]) => ((median(cpu) * 2 ** 30) / fileSize).toFixed(2);
      const speeds = (kind: Floor) => floors[kind].seconds.map((seconds) => mbps(fileSize, seconds).toFixed(0)).join(", ");
      const bareKind: Floor = floorSpeed("exporter-cat") >= floorSpeed("exporter-windowed") ? "exporter-cat" : "exporter-windowed";
      const bare = floorSpeed(bareKind);
      const verified = floorSpeed("readContent");
      const allDownloads = [...downs.map((d) => d.result), ...roundDownloads];
      // Compared with the node reads measured in the same rounds, under the same conditions.
      const downloadSpeed = median(roundDownloads.map((d) => mbps(d.bytes, d.seconds)));
      const growth = (p: { peak: number }) => p.peak - baseline;
      const downloadGrowth = Math.max(...downs.map(growth));
      const mib1 = (bytes: number) => (bytes / MiB).toFixed(1);
      const trajectory = (p: { quarters: number[] }) => p.quarters.map((rss) => formatMiB(rss)).join(" / ");

      const row = (
        step: string,
        bytes: number,
        seconds: number,
        ratios: boolean,
        rss?: { of: string; before?: number; peak?: number; growth: number; inStep?: number },
      ) => {
        const speed = mbps(bytes, seconds);
        const mib = (n: number | undefined) => (n === undefined ? "" : formatMiB(n));
        return [
          step,
          formatMiB(bytes),
          seconds.toFixed(1),
          speed.toFixed(0),
          ratios ? formatRatio(speed / bare) : "",
          ratios ? formatRatio(speed / verified) : "",
          rss?.of ?? "",
          mib(rss?.before),
          mib(rss?.peak),
          mib(rss?.growth),
          mib(rss?.inStep),
        ];
      };
      const serverRss = (p: { before: number; peak: number }) => ({ of: "server", before: p.before, peak: p.peak, growth: p.peak - baseline, inStep: p.peak - p.before });
      const floorLabel: Record<Floor, string> = {
        readContent: "node read: readContent (verified, 4 MiB windows)",
        "exporter-windowed": "node read: exporter, 4 MiB windows, unverified (bare)",
        "exporter-cat": "node read: exporter content() defaults (= cat)",
      };
      const floorRow = (kind: Floor) =>
        row(`${floorLabel[kind]} ×${floors[kind].seconds.length}${floors[kind].seconds.length > 1 ? ", median" : ""}`, floors[kind].bytes, median(floors[kind].seconds), true, {
          of: "reader",
          growth: Math.max(...floors[kind].growth),
        });
      const roundsMedian = median(roundDownloads.map((d) => d.seconds));

      const sameBytes =
        allDownloads.every((d) => d.sha256 === up.result.sha256 && d.bytes === fileSize) &&
        up.result.sha256 === up.result.sentSha256 &&
        up.result.size === fileSize;
      const checks: Check[] = [
        { label: `first upload of a fresh server: server RSS growth ≤ 64 MiB (${mib1(first.growth)} MiB)`, pass: first.growth <= RSS_BUDGET },
        { label: `upload after a warm-up: server RSS growth ≤ 48 MiB (${mib1(growth(up))} MiB)`, pass: growth(up) <= UPLOAD_RSS_BUDGET },
        { label: `download: server RSS growth ≤ 64 MiB (${mib1(downloadGrowth)} MiB, worst of ${FULL_DOWNLOADS})`, pass: downloadGrowth <= RSS_BUDGET },
        { label: `throttled download (10 MB/s): server RSS growth ≤ 64 MiB (${mib1(growth(slow))} MiB)`, pass: growth(slow) <= RSS_BUDGET },
        {
          label:
            `download ≥ 0.5× the bare node read (median of the ${roundDownloads.length} round downloads ${downloadSpeed.toFixed(0)} MB/s = ${formatRatio(downloadSpeed / bare)} of ${floorLabel[bareKind]}; ` +
            `${formatRatio(downloadSpeed / floorSpeed("exporter-cat"))} of cat; ${formatRatio(downloadSpeed / verified)} of readContent)`,
          pass: downloadSpeed >= 0.5 * bare,
        },
        { label: "downloaded sha256 = the upload's sha256 = sha256 of the bytes sent (every download)", pass: sameBytes },
        { label: `binary dataset upload: server RSS growth ≤ 48 MiB (${mib1(growth(binUp))} MiB)`, pass: growth(binUp) <= UPLOAD_RSS_BUDGET },
        { label: `binary dataset download: server RSS growth ≤ 64 MiB (${mib1(growth(binDown))} MiB)`, pass: growth(binDown) <= RSS_BUDGET },
        { label: "binary dataset: downloaded sha256 = the upload's = the bytes sent", pass: binDown.result.sha256 === binUp.result.sha256 && binUp.result.sha256 === binUp.result.sentSha256 && binDown.result.bytes === fileSize },
        ...tusChecks(tusWhole, tusCut, growth, fileSize, salt),
      ];

      return {
        columns: ["step", "MiB", "s", "MB/s", "÷ bare node", "÷ readContent", "RSS of", "RSS before MiB", "RSS peak MiB", "growth vs baseline MiB", "growth in step MiB"],
        rows: [
          row(`first upload of a fresh server, ${formatSize(fileSize)} (multipart)`, fileSize, first.seconds, false, { of: "server", before: first.before, peak: first.peak, growth: first.growth, inStep: first.growth }),
          row(`upload ${formatSize(fileSize)} (multipart, chunked)`, fileSize, up.result.seconds, false, serverRss(up)),
          ...downs.map((d, i) => row(`download #${i + 1}`, d.result.bytes, d.result.seconds, true, serverRss(d))),
          row(`download by a client reading at 10 MB/s (first ${formatSize(throttledBytes)})`, slow.result.bytes, slow.result.seconds, false, serverRss(slow)),
          row(`upload ${formatSize(fileSize)} of random binary as a dataset`, fileSize, binUp.result.seconds, false, serverRss(binUp)),
          row("download of the binary dataset", binDown.result.bytes, binDown.result.seconds, false, serverRss(binDown)),
          row(`upload ${formatSize(fileSize)} (tus, one PATCH)`, fileSize, tusWhole.result.seconds, false, serverRss(tusWhole)),
          row(`upload ${formatSize(fileSize)} (tus, cut at 50 %, resumed)`, fileSize, tusCut.result.seconds, false, serverRss(tusCut)),
          row(`download from a fresh server, between node reads ×${ROUNDS}, median`, fileSize, roundsMedian, true),
          floorRow("readContent"),
          floorRow("exporter-windowed"),
          floorRow("exporter-cat"),
        ],
        checks,
        notes: [
          `One ${formatSize(fileSize)} file of generated plain text (64-byte lines, each with its own counter, so no two 1 MiB blocks are alike), ` +
            `uploaded by a SIWE-signed-in client as multipart/form-data (title, file_type=document, then the file), chunked with no Content-Length, ` +
            `generated and hashed 1 MiB at a time on the client (never held whole); then downloaded with GET /api/v1/contributions/{id}/file, ` +
            `hashed (sha256) and discarded; then downloaded by a client that reads 10 MB/s and hangs up after ${formatSize(throttledBytes)} ` +
            `(the server reading ahead of a slow client would show within seconds). MB = 10⁶ bytes; MiB = 2²⁰.`,
          `Server: \`next start\` of this checkout's production build (\`${processes}\`) on 127.0.0.1, DATA_DIR a fresh temporary folder, DATABASE_URL the bench database, ` +
            `its in-process job worker on (the default). RSS is the server's process tree summed, read from /proc every ${SAMPLE_MS} ms by a worker thread: ` +
            `${formatMiB(rssAtStart)} MiB at start, baseline ${formatMiB(baseline)} MiB after a warm-up (sign-in, ${formatSize(WARMUP_BYTES)} upload + download). ` +
            `"growth vs baseline" (the checked figure) = peak during the step − baseline; "growth in step" = peak − RSS when the step started ` +
            `(memory the upload left resident counts against every later step in the first, not in the second). ${formatMiB(rssAfterHangUp)} MiB one second after the throttled client hung up. ` +
            `First row: a server of its own (another fresh DATA_DIR), signed in and then sent the same size of text at once, with no warm-up: its growth is peak − RSS once signed in (${formatMiB(first.before)} MiB), ` +
            `one-time set-up (the IPFS node, the upload route's modules, the pool) included; ${first.tailSeconds.toFixed(1)} s after the last byte; its verification job ${first.job.status}.`,
          `Upload: ${up.result.seconds.toFixed(1)} s from the first byte sent to the 201 answer, of which ${up.result.tailSeconds.toFixed(1)} s after the last byte ` +
            `(pinning — a walk that reads only the DAG's inner nodes and checks each raw leaf is present, then a datastore record per block for all ${Math.ceil(fileSize / MiB) + 1} blocks — then the database row); ` +
            `streaming alone ran at ${mbps(fileSize, up.result.seconds - up.result.tailSeconds).toFixed(0)} MB/s. ` +
            `Server RSS peak ${formatMiB(up.streamPeak)} MiB while the bytes streamed, ${formatMiB(up.tailPeak)} MiB after the last byte. ` +
            `Server RSS (MiB) when 25 / 50 / 75 / 100 % of the bytes had moved — flat means a fixed overhead, rising means memory held per byte: ` +
            `upload ${trajectory(up)}; ${downs.map((d, i) => `download #${i + 1} ${trajectory(d)}`).join("; ")}; throttled ${trajectory(slow)}. ` +
            `Each upload queues a verification job that the server's worker runs (the AI agent reads at most AGENT_MAX_BYTES by ranges and votes or abstains); the scenario waits for it before going on: ` +
            `warm-up job ${warmJob.status} after ${warmJob.seconds.toFixed(1)} s, upload job ${upJob.status} after ${upJob.seconds.toFixed(1)} s, binary dataset job ${binJob.status} after ${binJob.seconds.toFixed(1)} s (the agent abstains on random bytes). ` +
            `Binary dataset: ${formatSize(fileSize)} of crypto.randomBytes, file_type=dataset, application/octet-stream (accepted as a dataset: not an executable, not HTML), uploaded and downloaded in the same session after the text file's steps; RSS ${trajectory(binUp)} (upload) and ${trajectory(binDown)} (download).`,
          `Resumable uploads (tus, POST /api/v1/uploads then PATCH, the same generated text with its own salt each): one uninterrupted PATCH ran ${tusWhole.result.seconds.toFixed(1)} s ` +
            `(${mbps(fileSize, tusWhole.result.seconds).toFixed(0)} MB/s, beside the multipart path's ${mbps(fileSize, up.result.seconds).toFixed(0)} MB/s), of which ${tusWhole.result.tailSeconds.toFixed(1)} s after the last byte (the import of the assembled file into the node: the same storeUpload as multipart, reading the partial file from disk); ` +
            `the second was cut off (socket destroyed) after ${formatSize(Math.floor(fileSize / 2))}, HEAD said to resume at ${formatMiB(tusCut.result.resumedAt ?? 0)} MiB, and it finished in ${tusCut.result.patches} PATCHes, ${tusCut.result.seconds.toFixed(1)} s in all ` +
            `(${tusCut.result.tailSeconds.toFixed(1)} s after the last byte); RSS ${trajectory(tusWhole)} (one PATCH) and ${trajectory(tusCut)} (resumed). Their verification jobs: ${tusWholeJob.status}, ${tusCutJob.status}.`,
          `Speed: ${ROUNDS} rounds, each a fresh server (warm-up download of the small file, then one timed full download) and, with it stopped, ` +
            `the two windowed node reads once each in random order, each in a fresh process (bench/node-read.ts: DATA_DIR = the same folder, the project's own lib/ipfs code, ` +
            `a warm-up read of the small file first, bytes counted and discarded); the plain content() read runs once after the rounds. ` +
            `readContent is lib/ipfs/content.ts as the download route uses it (4 MiB windows, each block checked against its CID); ` +
            `the exporter rows are ipfs-unixfs-exporter on the FsBlockstore, no verification: in the same 4 MiB windows (blockReadConcurrency 1) with each block file read whole, ` +
            `and as a plain content() straight on the FsBlockstore (every block requested at once, as unixfs.cat does; note its reader RSS, and that the exporter then joins each block's 64 KiB pieces ` +
            `one at a time — it-to-buffer copies ~8.5 MiB per 1 MiB block — hence its CPU cost). "bare node" = the faster of the two exporter reads. ` +
            `The checked download speed is the median of the round downloads (${roundDownloads.map((d) => mbps(d.bytes, d.seconds).toFixed(0)).join(", ")} MB/s), ` +
            `taken in the same conditions as the node reads (the first session's downloads, right after the upload: ${downs.map((d) => mbps(d.result.bytes, d.result.seconds).toFixed(0)).join(", ")} MB/s); ` +
            `node reads: readContent ${speeds("readContent")}, windowed unverified ${speeds("exporter-windowed")}, content() ${speeds("exporter-cat")} MB/s. ` +
            `"RSS growth" of node-read rows is the reading process's (peak − RSS before the read), worst of the rounds. ` +
            `CPU seconds per GiB moved (medians; unlike MB/s, not slowed by other work on the machine): app download ${perGiB(downloadCpu.map((c) => c.server))} in the server ` +
            `+ ${perGiB(downloadCpu.map((c) => c.client))} in the client (receiving and hashing); readContent ${perGiB(floors.readContent.cpu)}, ` +
            `windowed unverified ${perGiB(floors["exporter-windowed"].cpu)}, content() ${perGiB(floors["exporter-cat"].cpu)}.`,
          `1-minute load average: ${loadAtStart.toFixed(1)} at start, ${loadAfterSession.toFixed(1)} after the RSS session, ${loadAtEnd.toFixed(1)} at the end ` +
            `(${os.availableParallelism()} CPUs; other work on the machine shows up as noise in the speeds). The scenario took ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s.`,
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

/** The tus rows' checks: flat memory both ways, the reconnect's cost, and the same bytes stored. */
function tusChecks(
  whole: { result: { seconds: number; sha256: string; size: number }; peak: number },
  cut: { result: { seconds: number; sha256: string; size: number; patches: number }; peak: number },
  growth: (p: { peak: number }) => number,
  size: number,
  salt: string,
): Check[] {
  const worst = Math.max(growth(whole), growth(cut));
  const ratio = cut.result.seconds / whole.result.seconds;
  const sameBytes = whole.result.sha256 === generatedSha256(size, `${salt}t`) && cut.result.sha256 === generatedSha256(size, `${salt}r`) && whole.result.size === size && cut.result.size === size;
  return [
    { label: `tus upload: server RSS growth ≤ 48 MiB (${(worst / MiB).toFixed(1)} MiB, worst of the two)`, pass: worst <= UPLOAD_RSS_BUDGET },
    { label: `tus with one forced reconnect ≤ 1.2× an uninterrupted tus upload (${formatRatio(ratio)}, ${cut.result.patches} PATCHes)`, pass: ratio <= 1.2 && cut.result.patches >= 2 },
    { label: "tus: the stored sha256 = sha256 of the generated bytes (both uploads)", pass: sameBytes },
  ];
}
