import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";
import { signedInContext } from "./support/api-session";

/**
 * Graceful shutdown of a production server (its own instance on embedded PGlite): on SIGTERM it
 * stops accepting connections, ends live streams, finishes the download in flight, then exits.
 */
const PORT = Number(process.env.E2E_SHUTDOWN_PORT ?? 3212);
const origin = `http://127.0.0.1:${PORT}`;
let server: ChildProcess | undefined;
let output = "";

test.beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "nwu-shutdown-")), DATABASE_URL: "", SEED_DEMO: "on", NODE_ENV: "production", WORKERS: "in-process" };
  delete env.PGLITE_DATA_DIR;
  const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env, encoding: "utf8" });
  expect(prepared.status, prepared.stderr).toBe(0);
  server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) throw new Error(`the instance exited (${server.exitCode}): ${output}`);
    if ((await fetch(`${origin}/api/health/ready`).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the instance did not become ready: ${output}`);
});

test.afterAll(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
});

test("SIGTERM: live streams end, the download in flight completes, new connections are refused, then the process exits", async () => {
  test.setTimeout(90_000);
  const api = await signedInContext(origin, DEMO_ACCOUNTS[3].privateKey);
  const bytes = Buffer.concat([Buffer.from("id,value\n"), Buffer.from(Array.from({ length: 400_000 }, (_, i) => `${i},${randomBytes(4).toString("hex")}\n`).join(""))]);
  const created = await api.post("/api/v1/contributions", { multipart: { title: "Big enough to be in flight", file_type: "dataset", file: { name: "big.csv", mimeType: "text/csv", buffer: bytes } } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  await api.dispose();

  // A live stream, and a download read slowly (paused), both open when the signal comes.
  const stream = await fetch(`${origin}/api/v1/contributions/${id}/events`);
  const streamDone = (async () => {
    const reader = stream.body!.getReader();
    while (!(await reader.read()).done);
    return Date.now();
  })();
  const download = new Promise<{ status: number; sha: string; length: number }>((resolve, reject) => {
    http
      .get(`${origin}/api/v1/contributions/${id}/file`, (res) => {
        const hash = createHash("sha256");
        let length = 0;
        res.pause();
        setTimeout(() => res.resume(), 2_000); // still reading when SIGTERM arrives
        res.on("data", (c: Buffer) => {
          hash.update(c);
          length += c.length;
        });
        res.on("end", () => resolve({ status: res.statusCode!, sha: hash.digest("hex"), length }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
  await new Promise((r) => setTimeout(r, 500));
  const exited = new Promise<number | null>((r) => server!.once("exit", (code) => r(code)));
  const signalled = Date.now();
  server!.kill("SIGTERM");

  expect((await streamDone) - signalled).toBeLessThan(5_000);
  const got = await download;
  expect(got).toEqual({ status: 200, sha: createHash("sha256").update(bytes).digest("hex"), length: bytes.length });
  await new Promise((r) => setTimeout(r, 300));
  // A new connection (not a pooled keep-alive one): the listening socket is closed.
  const refused = await new Promise<string>((resolve) => {
    http
      .get(`${origin}/api/health/live`, { agent: false }, (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      })
      .on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  expect(refused).toBe("ECONNREFUSED");
  expect(await exited).toBe(143);
  expect(output).toContain('"msg":"shutting down"');
});
