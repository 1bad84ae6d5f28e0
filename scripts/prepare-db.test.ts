import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { DEMO_SAMPLES } from "@/lib/demo/samples";

/** Runs the real `npm start` database step as a child process with exactly this environment. */
function prepare(env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("scripts", "prepare-db.ts")],
    { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", ...env }, encoding: "utf8", timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-prepare-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start's database step", () => {
  it("creates, migrates and seeds an empty embedded database, then keeps its data on restart", () => {
    const first = prepare({ DATA_DIR: dataDir });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    // The demo users, and sample contributions of every type and public status (lib/demo/seed.ts).
    expect(first.stdout).toBe(`database ready (pglite); demo data seeded: ${DEMO_ACCOUNTS.length} users, ${DEMO_SAMPLES.length} sample contributions`);
    const second = prepare({ DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("database ready (pglite)");
    // Two processes, the first starting the IPFS node and uploading the demo samples into it.
  }, 120_000);

  it("seeds nothing outside demo mode (a public APP_URL)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nwu-prepare-public-"));
    try {
      const run = prepare({ DATA_DIR: dir, APP_URL: "https://nwu.example.org" });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("database ready (pglite)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["a malformed DATABASE_URL", { DATABASE_URL: "mysql://root:hunter2@localhost/db" }, /^Configuration error: DATABASE_URL must be a URL/],
    ["a bad pool size", { DB_POOL_MAX: "lots" }, /^Configuration error: DB_POOL_MAX /],
    ["a bad admin address", { ADMIN_ADDRESSES: "alice" }, /^Configuration error: ADMIN_ADDRESSES /],
    [
      "a demo key as admin outside demo mode",
      { APP_URL: "https://nwu.example.org", ADMIN_ADDRESSES: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
      /^Configuration error: ADMIN_ADDRESSES names 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, a demo account whose private key is public/,
    ],
  ])("stops with one line and exit 1 on %s", (_, env, line) => {
    const run = prepare({ DATA_DIR: dataDir, ...env });
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(line);
    expect(run.stderr).not.toContain("hunter2");
  });

  it("stops with one line and exit 1 when DATABASE_URL cannot be reached", async () => {
    const port = await freePort();
    const run = prepare({ DATA_DIR: dataDir, DATABASE_URL: `postgres://nwu:secret@127.0.0.1:${port}/nwu` });
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^Configuration error: DATABASE_URL cannot be used: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain("secret");
  });
});
