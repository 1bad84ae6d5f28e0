/**
 * Serves the production build for e2e: a fresh data folder (given by DATA_DIR) and, when
 * DATABASE_URL is set, a database of its own (`<name>_e2e`, reset on every run), migrated and seeded.
 * A local chain (hardhat node on E2E_CHAIN_PORT, contracts deployed) backs the on-chain payouts.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import postgres from "postgres";

import { deployContracts, startHardhatNode } from "@/contracts/local-chain";

import { serverNodeOptions } from "./server-node-options";

const env: NodeJS.ProcessEnv = { ...process.env, DEMO_MODE: process.env.DEMO_MODE ?? "on", SEED_DEMO: "on", NODE_ENV: "production" };

if (process.env.DATABASE_URL?.trim()) {
  const url = new URL(process.env.DATABASE_URL);
  const name = `${url.pathname.slice(1) || "nwu"}_e2e`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
}

const chain = await startHardhatNode(Number(process.env.E2E_CHAIN_PORT ?? 3245));
const deployment = await deployContracts(chain.url);
deployment.provider.destroy();
Object.assign(env, deployment.env, { PAYOUT_CONFIRM_TIMEOUT_MS: "30000" });
// A second instance (e2e/scale-out.spec.ts) reads the same chain configuration from here.
if (env.DATA_DIR) {
  mkdirSync(env.DATA_DIR, { recursive: true });
  writeFileSync(path.join(env.DATA_DIR, "chain-env.json"), JSON.stringify(deployment.env));
}
const stopChain = () => void chain.stop();
process.on("exit", () => chain.process.kill("SIGTERM"));

const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], {
  env,
  stdio: "inherit",
});
if (prepared.status !== 0) {
  stopChain();
  process.exit(prepared.status ?? 1);
}

const server = spawn(process.execPath, [...serverNodeOptions(), "node_modules/next/dist/bin/next", "start", "-p", env.PORT ?? "3210", "-H", "127.0.0.1"], {
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
