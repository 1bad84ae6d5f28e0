import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The local chain the first instance was started with (written by scripts/e2e-server.ts). */
function chainEnv(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path.join(process.env.NWU_E2E_DATA_DIR!, "chain-env.json"), "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Another app instance on the e2e PostgreSQL database (needs DATABASE_URL): the same blockstore folder
 * (the "shared blockstore" deployment) and chain, its own job worker, plus `env`. Resolves once its
 * health check answers from PostgreSQL (so it is ours, not something else left on the port).
 */
export async function startSecondInstance(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...chainEnv(), DATABASE_URL: e2eDatabaseUrl(), DATA_DIR: process.env.NWU_E2E_DATA_DIR, WORKERS: "in-process", NODE_ENV: "production", ...env },
    stdio: "ignore",
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the instance on port ${port} exited (${child.exitCode}); is the port free?`);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    if (health?.checks?.database?.driver === "postgres") return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill("SIGTERM");
  throw new Error(`the instance on port ${port} did not start`);
}

/** The e2e database itself, for what a test must arrange that no request can (e.g. the end of a month). */
export function e2eDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_e2e`;
  return url.toString();
}
