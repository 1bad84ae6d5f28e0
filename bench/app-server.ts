import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import type { Sql } from "postgres";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signedSignIn } from "@/lib/auth/siwe-client";

import { serverNodeOptions } from "../scripts/server-node-options";

import type { ScenarioResult } from "./harness";

/**
 * The production server (`next start` of this checkout's build) as the file-transfer and load
 * scenarios run it, and the client side they share: SIWE sign-in, streamed multipart upload,
 * cleanup of the signed-in user.
 */

const MiB = 2 ** 20;
/** Fixed-width text lines, each with its own counter: every 1 MiB chunk differs (no block dedup). */
const LINE_BYTES = 64;
const GENERATOR_CHUNK = MiB;

export const hasProductionBuild = (appDir = process.cwd()) => existsSync(path.join(appDir, ".next", "BUILD_ID"));

/** The result of a scenario that needs the production build when there is none. */
export function notBuilt(scenario: string): ScenarioResult {
  console.error(`${scenario} needs the production build: run \`npm run build\` first (no .next/BUILD_ID here).`);
  return {
    columns: ["step"],
    rows: [["not run: no production build"]],
    checks: [{ label: "production build present (.next/BUILD_ID) — run `npm run build` first", pass: false }],
    notes: [],
  };
}

/** The server's environment: the bench database, a throw-away DATA_DIR, no demo seed, no IPFS network. */
export function serverEnv(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SEED_DEMO: "off",
    IPFS_NETWORK: "off",
  };
  // CACHE_MAX_STALENESS_MS: pointAppAt turns the cache off in this process; servers get the default unless a scenario says.
  for (const name of ["APP_URL", "PGLITE_DATA_DIR", "PORT", "HOSTNAME", "CACHE_MAX_STALENESS_MS"]) delete env[name];
  return env;
}

// ---------------------------------------------------------------------------------------------
// Generated upload content: plain text (sniffed as text/plain, accepted as a document), produced
// one 1 MiB chunk at a time.

/** Random binary bytes (a dataset nobody can sniff as text), 1 MiB at a time. */
export function* randomChunks(size: number): Generator<Buffer> {
  for (let sent = 0; sent < size; sent += GENERATOR_CHUNK) yield randomBytes(Math.min(GENERATOR_CHUNK, size - sent));
}

/** `from`: start at this byte (a resumed upload), generating only the chunks from there on. */
export function* generatedChunks(size: number, salt: string, from = 0): Generator<Buffer> {
  const text = `nwu benchmark ${salt} line 000000000000 of generated plain text`;
  const template = Buffer.from(`${text.padEnd(LINE_BYTES - 1, ".")}\n`);
  const counterAt = template.indexOf("000000000000");
  const linesPerChunk = GENERATOR_CHUNK / LINE_BYTES;
  const first = Math.floor(from / GENERATOR_CHUNK);
  let line = first * linesPerChunk;
  for (let sent = first * GENERATOR_CHUNK; sent < size; sent += GENERATOR_CHUNK) {
    const chunk = Buffer.allocUnsafe(GENERATOR_CHUNK);
    for (let i = 0; i < linesPerChunk; i++, line++) {
      const at = i * LINE_BYTES;
      template.copy(chunk, at);
      for (let d = 11, n = line; d >= 0; d--, n = Math.floor(n / 10)) chunk[at + counterAt + d] = 48 + (n % 10);
    }
    const end = Math.min(GENERATOR_CHUNK, size - sent);
    yield chunk.subarray(Math.max(0, from - sent), end);
  }
}

// ---------------------------------------------------------------------------------------------
// The production server, spawned in its own process group.

export interface Server {
  origin: string;
  port: number;
  child: ChildProcess;
  log: string[];
}

/**
 * A port nothing listens on (at the time of asking) on 127.0.0.1: any free one, or the first free
 * one of `range` (inclusive), tried from a random start so concurrent runs tend not to collide.
 */
export async function freePort(range?: { from: number; to: number }): Promise<number> {
  const candidates = range ? Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i) : [0];
  const start = Math.floor(Math.random() * candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const probe = net.createServer();
    try {
      probe.listen(candidates[(start + i) % candidates.length], "127.0.0.1");
      await once(probe, "listening");
    } catch {
      continue;
    }
    const { port } = probe.address() as net.AddressInfo;
    probe.close();
    await once(probe, "close");
    return port;
  }
  throw new Error(`no free port in ${range!.from}–${range!.to}`);
}

/**
 * `next start` of the build in `appDir` (default: this checkout), with the Node flags `npm start`
 * gives it; `ports`: pick the port in this range (default: any free one); `nodeArgs`: before the
 * script (e.g. a preload).
 */
export async function startServer(env: NodeJS.ProcessEnv, ports?: { from: number; to: number }, appDir = process.cwd(), nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort(ports);
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...serverNodeOptions(appDir), ...nodeArgs, path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log: string[] = [];
  const keep = (data: Buffer) => {
    log.push(...data.toString("utf8").split("\n").filter(Boolean));
    log.splice(0, Math.max(0, log.length - 60));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server = { origin, port, child, log };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${log.join("\n")}`);
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(5_000) });
      const body = await response.text();
      if (response.ok) return server;
      await stopServer(server);
      throw new Error(`the server is up but not ready (${response.status}): ${body}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("the server is up")) throw error;
      if (Date.now() > deadline) {
        await stopServer(server);
        throw new Error(`next start did not answer within 60 s:\n${log.join("\n")}`);
      }
      await sleep(200);
    }
  }
}

export async function stopServer({ child }: Server): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const killer = setTimeout(() => signalGroup("SIGKILL"), 15_000);
  await exited;
  clearTimeout(killer);
}

// ---------------------------------------------------------------------------------------------
// The client side: SIWE sign-in, streamed multipart upload, measured downloads.

export async function signIn(origin: string, privateKey = generatePrivateKey()): Promise<{ cookie: string; address: string; nonce: string }> {
  const account = privateKeyToAccount(privateKey);
  const { message, signature, nonce } = await signedSignIn({ origin, address: account.address, chainId: 31337, sign: (m) => account.signMessage({ message: m }) });
  const response = await fetch(`${origin}/api/auth/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: origin },
    body: JSON.stringify({ message, signature }),
  });
  if (!response.ok) throw new Error(`POST /api/auth/verify: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("nwu_session="));
  if (!cookie) throw new Error("POST /api/auth/verify set no nwu_session cookie");
  return { cookie, address: account.address.toLowerCase(), nonce };
}

export async function readBody(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export interface Uploaded {
  id: string;
  cid: string;
  sha256: string;
  size: number;
  /** sha256 of the bytes this client generated and sent. */
  sentSha256: string;
  seconds: number;
  /** From the last byte sent to the response (pin + database insert). */
  tailSeconds: number;
}

/** Called with the bytes moved so far, after each chunk. */
export type Progress = (bytes: number) => void;

/** POST /api/v1/contributions, multipart written by hand, chunked, with backpressure. */
/** What an upload sends: generated plain text as a document (default), or random binary bytes as a dataset. */
export type UploadKind = "text" | "binary";

export async function upload(server: Server, cookie: string, title: string, size: number, salt: string, progress?: Progress, kind: UploadKind = "text"): Promise<Uploaded> {
  const boundary = `nwu-bench-${randomUUID()}`;
  const request = http.request(new URL("/api/v1/contributions", server.origin), {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Origin: server.origin, Cookie: cookie },
  });
  let answered = false;
  const responded = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once("response", resolve);
    request.once("error", reject);
  });
  const settled = responded.then(
    () => (answered = true),
    () => (answered = true),
  );
  const write = async (chunk: Buffer | string) => {
    if (!request.write(chunk)) await Promise.race([once(request, "drain"), settled]);
  };
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const hash = createHash("sha256");
  const started = performance.now();
  await write(
    field("title", title) +
      field("file_type", kind === "text" ? "document" : "dataset") +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${kind === "text" ? "benchmark.txt" : "benchmark.bin"}"\r\nContent-Type: ${kind === "text" ? "text/plain" : "application/octet-stream"}\r\n\r\n`,
  );
  let sent = 0;
  for (const chunk of kind === "text" ? generatedChunks(size, salt) : randomChunks(size)) {
    if (answered) break;
    hash.update(chunk);
    await write(chunk);
    progress?.((sent += chunk.byteLength));
  }
  if (!answered) request.end(`\r\n--${boundary}--\r\n`);
  const lastByte = performance.now();
  const response = await responded;
  const text = await readBody(response);
  const done = performance.now();
  if (response.statusCode !== 201) throw new Error(`upload answered ${response.statusCode}: ${text}`);
  const body = JSON.parse(text) as { id: string; cid: string; sha256: string; size: number };
  return {
    ...body,
    sentSha256: hash.digest("hex"),
    seconds: (done - started) / 1000,
    tailSeconds: (done - lastByte) / 1000,
  };
}


/**
 * Waits for the server's in-process worker to finish the verification job an upload queued (it
 * reads the file's first MiB and votes), so that work does not overlap the measured transfers.
 */
export async function jobSettled(sql: Sql, contributionId: string): Promise<{ status: string; seconds: number }> {
  const started = performance.now();
  for (;;) {
    const [job] = await sql<{ status: string }[]>`SELECT status::text FROM jobs WHERE payload->>'contributionId' = ${contributionId}`;
    const seconds = (performance.now() - started) / 1000;
    if (!job || job.status === "succeeded" || job.status === "dead") return { status: job?.status ?? "none", seconds };
    if (seconds > 120) return { status: `still ${job.status} after 120 s`, seconds };
    await sleep(100);
  }
}

/** Removes everything the signed-in benchmark user created in the bench database. */
export async function removeBenchUser(sql: Sql, address: string, nonces: string[]): Promise<void> {
  await sql.begin(async (tx) => {
    const [user] = await tx<{ id: string }[]>`SELECT id FROM users WHERE address = ${address}`;
    if (nonces.length) await tx`DELETE FROM auth_nonces WHERE nonce = ANY(${nonces})`;
    if (!user) return;
    await tx`DELETE FROM jobs WHERE payload->>'contributionId' IN (SELECT id::text FROM contributions WHERE user_id = ${user.id})`;
    await tx`DELETE FROM rewards WHERE contribution_id IN (SELECT id FROM contributions WHERE user_id = ${user.id})`;
    await tx`DELETE FROM contribution_reads WHERE contribution_id IN (SELECT id FROM contributions WHERE user_id = ${user.id})`;
    await tx`DELETE FROM verifications WHERE contribution_id IN (SELECT id FROM contributions WHERE user_id = ${user.id})`;
    await tx`DELETE FROM audit_log WHERE actor_id = ${user.id}
      OR entity_id IN (SELECT id::text FROM contributions WHERE user_id = ${user.id})`;
    await tx`DELETE FROM contributions WHERE user_id = ${user.id}`;
    await tx`DELETE FROM sessions WHERE user_id = ${user.id}`;
    // API keys (the load scenario's): their usage rows and rate-limit windows first.
    await tx`DELETE FROM usage_records WHERE user_id = ${user.id}`;
    await tx`DELETE FROM api_usage_periods WHERE user_id = ${user.id}`;
    await tx`DELETE FROM rate_limit_buckets WHERE key IN (
      SELECT kind || ':' || id FROM api_keys, unnest(ARRAY['day', 'burst']) kind WHERE user_id = ${user.id})`;
    await tx`DELETE FROM api_keys WHERE user_id = ${user.id}`;
    await tx`DELETE FROM subscriptions WHERE user_id = ${user.id}`;
    await tx`DELETE FROM users WHERE id = ${user.id}`;
  });
}
