import { spawn, type ChildProcess } from "node:child_process";

import { eq } from "drizzle-orm";
import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deployContracts, startHardhatNode, type Deployment, type LocalChain } from "@/contracts/local-chain";
import { jobs, payoutBatches, rewards } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { startWorker } from "@/lib/jobs/worker";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { verifiedContribution } from "@/test/rewards";

import { createPayoutBatch, PAYOUT_JOB, payoutBatchJob } from "./payout";

// PostgreSQL only: the killed worker is another process, and both must reach one database.
const testDb = setupTestDatabase();
let chain: LocalChain;
let dep: Deployment;
let chainEnv: Record<string, string>;
const CHAIN_KEYS = ["CHAIN_RPC_URL", "CHAIN_ID", "TOKEN_ADDRESS", "DISTRIBUTOR_ADDRESS", "PAYOUT_PRIVATE_KEY", "PAYOUT_CONFIRM_TIMEOUT_MS"];

beforeAll(async () => {
  chain = await startHardhatNode();
  dep = await deployContracts(chain.url);
  chainEnv = { ...dep.env, PAYOUT_CONFIRM_TIMEOUT_MS: "60000" };
  Object.assign(process.env, chainEnv);
  resetEnvCache();
}, 60_000);

afterAll(async () => {
  for (const k of CHAIN_KEYS) delete process.env[k];
  resetEnvCache();
  dep?.provider.destroy();
  await chain?.stop();
});

const until = async (check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not reached in time");
};

const batchRow = async (id: string) => (await testDb.handle.db.select().from(payoutBatches).where(eq(payoutBatches.id, id)))[0]!;
const rewardRow = async (id: string) => (await testDb.handle.db.select().from(rewards).where(eq(rewards.id, id)))[0]!;
const payerNonce = () => dep.provider.getTransactionCount(dep.owner.address, "latest");

/**
 * Starts a worker process, queues a batch with the chain not mining, and SIGKILLs the worker once
 * the signed transaction is stored and broadcast (the node has it) — before any database update.
 */
async function killedAfterBroadcast() {
  const { db } = testDb.handle;
  const admin = await insertUser(db, ["admin"]);
  const paid = [await verifiedContribution(db, 90), await verifiedContribution(db, 75)];
  const nonceBefore = await payerNonce();
  await chain.rpc("evm_setAutomine", [false]);
  const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/payout-worker-child.ts"], {
    env: { ...process.env, ...chainEnv },
    stdio: "ignore",
  });
  const { batchId } = await createPayoutBatch({ actorId: admin.id });
  let hash = "";
  await until(async () => {
    const b = await batchRow(batchId);
    if (!b.txHash || !(await chain.rpc("eth_getTransactionByHash", [b.txHash]))) return false;
    hash = b.txHash;
    return true;
  });
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  expect(["sending", "confirming"]).toContain((await batchRow(batchId)).status);
  for (const p of paid) {
    expect((await rewardRow(p.rewardId)).status).toBe("processing");
    expect(await dep.balanceOf(p.address)).toBe(0n);
  }
  return { batchId, hash, paid, nonceBefore };
}

async function restartAndFinish(batchId: string) {
  const rescuer = startWorker({ handlers: { [PAYOUT_JOB.name]: payoutBatchJob }, concurrency: 1, leaseSeconds: 30, pollMs: 100, id: "rescuer" });
  try {
    await until(async () => (await batchRow(batchId)).status === "completed");
  } finally {
    await rescuer.stop();
  }
}

describe("a payout worker killed after broadcast, before the database update", () => {
  it("the transaction is mined meanwhile: the restarted worker records it and sends nothing", async () => {
    const { batchId, hash, paid, nonceBefore } = await killedAfterBroadcast();
    await chain.rpc("evm_mine");
    await chain.rpc("evm_setAutomine", [true]);
    await restartAndFinish(batchId);
    expect((await batchRow(batchId)).txHash).toBe(hash);
    for (const p of paid) {
      expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
      expect(await rewardRow(p.rewardId)).toMatchObject({ status: "distributed", txHash: hash, chainId: 31337 });
    }
    expect(await payerNonce()).toBe(nonceBefore + 1);
  });

  it("the transaction never reached a block (the node dropped it): the restarted worker re-sends the same signed transaction", async () => {
    const { batchId, hash, paid, nonceBefore } = await killedAfterBroadcast();
    await chain.rpc("hardhat_dropTransaction", [hash]);
    await chain.rpc("evm_setAutomine", [true]);
    await restartAndFinish(batchId);
    expect((await batchRow(batchId)).txHash).toBe(hash); // the very same transaction, not a second one
    for (const p of paid) expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
    expect(await payerNonce()).toBe(nonceBefore + 1);
  });
});

describe("graceful shutdown of `npm run worker`", () => {
  it("SIGTERM: a job that cannot finish within the grace period is handed back (lease released), then paid once elsewhere", async () => {
    const { db } = testDb.handle;
    const admin = await insertUser(db, ["admin"]);
    const p = await verifiedContribution(db, 88);
    const nonceBefore = await payerNonce();
    await chain.rpc("evm_setAutomine", [false]);
    const worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, ...chainEnv, JOB_LEASE_SECONDS: "300", WORKER_CONCURRENCY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    worker.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const { batchId } = await createPayoutBatch({ actorId: admin.id });
    const job = async () => (await db.select().from(jobs).where(eq(jobs.kind, PAYOUT_JOB.name))).find((j) => j.payload.batchId === batchId)!;
    await until(async () => !!(await batchRow(batchId)).txHash && (await job()).status === "running");
    const started = Date.now();
    worker.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => worker.once("exit", (c) => r(c)));
    expect(code, output).toBe(143);
    expect(Date.now() - started).toBeLessThan(20_000);
    // Handed back, not left leased by a process that is gone: any worker may take it at once.
    expect(await job()).toMatchObject({ status: "queued", lockedUntil: null });
    expect(output).toContain('"msg":"shutting down"');

    await chain.rpc("evm_mine");
    await chain.rpc("evm_setAutomine", [true]);
    await restartAndFinish(batchId);
    expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
    expect(await payerNonce()).toBe(nonceBefore + 1);
  }, 60_000);
});
