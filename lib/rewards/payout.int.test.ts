import { eq } from "drizzle-orm";
import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deployContracts, startHardhatNode, type Deployment, type LocalChain } from "@/contracts/local-chain";
import { payoutBatches, rewards } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { ConflictError, ServiceUnavailableError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { verifiedContribution as verifiedRewarded } from "@/test/rewards";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";

import { createPayoutBatch, processPayoutBatch, retryPayoutBatch } from "./payout";
import { toBaseUnits } from "./payout-chain";

const testDb = setupTestDatabase();
let chain: LocalChain;
let dep: Deployment;
let proxy: TcpProxy;
let admin: { id: string };
const CHAIN_KEYS = ["CHAIN_RPC_URL", "CHAIN_ID", "TOKEN_ADDRESS", "DISTRIBUTOR_ADDRESS", "PAYOUT_PRIVATE_KEY", "CHAIN_TIMEOUT_MS", "PAYOUT_CONFIRM_TIMEOUT_MS"];

beforeAll(async () => {
  chain = await startHardhatNode();
  dep = await deployContracts(chain.url);
  // The app reaches the chain through a TCP proxy the tests can cut (the "RPC down" case).
  proxy = await startTcpProxy("127.0.0.1", chain.port);
  Object.assign(process.env, dep.env, { CHAIN_RPC_URL: `http://127.0.0.1:${proxy.port}`, CHAIN_TIMEOUT_MS: "1000", PAYOUT_CONFIRM_TIMEOUT_MS: "5000" });
  resetEnvCache();
  admin = await insertUser(testDb.handle.db, ["admin"]);
}, 60_000);

afterAll(async () => {
  for (const k of CHAIN_KEYS) delete process.env[k];
  resetEnvCache();
  dep?.provider.destroy();
  await proxy?.close();
  await chain?.stop();
});

const verifiedContribution = (score: number) => verifiedRewarded(testDb.handle.db, score);

const rewardRow = async (id: string) => (await testDb.handle.db.select().from(rewards).where(eq(rewards.id, id)))[0]!;
const batchRow = async (id: string) => (await testDb.handle.db.select().from(payoutBatches).where(eq(payoutBatches.id, id)))[0]!;
const payerNonce = () => dep.provider.getTransactionCount(dep.owner.address, "latest");

describe("18-decimal conversion", () => {
  it("turns exact NWU decimals into base units without rounding", () => {
    expect(toBaseUnits("33.920000000000000000")).toBe(33_920_000_000_000_000_000n);
    expect(toBaseUnits("0.000000000000000001")).toBe(1n);
    expect(toBaseUnits("22.5")).toBe(parseUnits("22.5", 18));
    expect(toBaseUnits("123456789.123456789123456789")).toBe(123_456_789_123_456_789_123_456_789n);
  });
});

describe("on-chain payouts", () => {
  it("pays three verified contributions in one batch: balances equal the reward amounts exactly", async () => {
    const paid = [await verifiedContribution(95), await verifiedContribution(80), await verifiedContribution(72)];
    const treasuryBefore = await dep.balanceOf(dep.distributor);
    const nonceBefore = await payerNonce();

    const batch = await createPayoutBatch({ actorId: admin.id });
    expect(batch.rewardCount).toBe(3);
    for (const p of paid) expect((await rewardRow(p.rewardId)).status).toBe("processing");
    expect(await processPayoutBatch(batch.batchId)).toBe("completed");

    const b = await batchRow(batch.batchId);
    expect(b).toMatchObject({ status: "completed", chainId: 31337, nonce: nonceBefore });
    expect(b.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    let total = 0n;
    for (const p of paid) {
      expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
      total += parseUnits(p.amount, 18);
      const r = await rewardRow(p.rewardId);
      expect(r).toMatchObject({ status: "distributed", txHash: b.txHash, chainId: 31337, failureReason: null });
      expect(r.distributedAt).toBeInstanceOf(Date);
    }
    expect(parseUnits(b.totalAmount, 18)).toBe(total);
    expect(await dep.balanceOf(dep.distributor)).toBe(treasuryBefore - total);
    expect(await payerNonce()).toBe(nonceBefore + 1); // one transaction for the whole batch

    // Running it again (a duplicate job) sends nothing; nothing is left to pay.
    expect(await processPayoutBatch(batch.batchId)).toBe("completed");
    expect(await payerNonce()).toBe(nonceBefore + 1);
    await expect(createPayoutBatch({ actorId: admin.id })).rejects.toBeInstanceOf(ConflictError);
  });

  it("RPC down: the batch and its rewards fail with the reason; a later retry pays exactly once", async () => {
    const p = await verifiedContribution(90);
    const nonceBefore = await payerNonce();
    proxy.down();
    try {
      const batch = await createPayoutBatch({ actorId: admin.id });
      const started = Date.now();
      expect(await processPayoutBatch(batch.batchId)).toBe("failed");
      expect(Date.now() - started).toBeLessThan(15_000); // timeouts and bounded retries, no hang
      const r = await rewardRow(p.rewardId);
      expect(r.status).toBe("failed");
      expect(r.failureReason).toMatch(/chain RPC/);
      expect((await batchRow(batch.batchId)).error).toMatch(/chain RPC/);
      expect(await dep.balanceOf(p.address)).toBe(0n);

      proxy.up();
      await retryPayoutBatch({ actorId: admin.id, batchId: batch.batchId });
      expect((await rewardRow(p.rewardId)).status).toBe("processing");
      expect(await processPayoutBatch(batch.batchId)).toBe("completed");
      expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
      expect((await rewardRow(p.rewardId)).status).toBe("distributed");
      // A second retry is refused: the batch is no longer failed.
      await expect(retryPayoutBatch({ actorId: admin.id, batchId: batch.batchId })).rejects.toThrow(/No failed payout batch/);
      expect(await processPayoutBatch(batch.batchId)).toBe("completed");
      expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
      expect(await payerNonce()).toBe(nonceBefore + 1);
    } finally {
      proxy.up();
    }
  });

  it("a run stopped after broadcast resumes from the stored transaction, even when it was dropped or its nonce was taken", async () => {
    const p = await verifiedContribution(85);
    const nonceBefore = await payerNonce();
    await chain.rpc("evm_setAutomine", [false]);
    try {
      const batch = await createPayoutBatch({ actorId: admin.id });
      const stop = new AbortController();
      const run = processPayoutBatch(batch.batchId, { signal: stop.signal });
      // Wait until the signed transaction is stored and the node has it, then stop the run.
      let hash: string | null = null;
      for (let i = 0; i < 100 && !hash; i++) {
        const b = await batchRow(batch.batchId);
        // Stored, sent, and marked confirming (the stop must come after all three, not between them).
        if (b.txHash && b.status === "confirming" && (await chain.rpc("eth_getTransactionByHash", [b.txHash]))) hash = b.txHash;
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(hash).not.toBeNull();
      stop.abort(new Error("worker stopped"));
      await expect(run).rejects.toThrow(/worker stopped/);
      expect((await batchRow(batch.batchId)).status).toBe("confirming");
      expect((await rewardRow(p.rewardId)).status).toBe("processing");

      // The node forgets the transaction, and another transaction takes its nonce: the stored one can
      // never be mined, so the next run signs again with a fresh nonce — and pays once.
      await chain.rpc("hardhat_dropTransaction", [hash]);
      await (await dep.owner.sendTransaction({ to: dep.owner.address, value: 0n, nonce: nonceBefore })).hash;
      await chain.rpc("evm_mine");
      await chain.rpc("evm_setAutomine", [true]);
      expect(await processPayoutBatch(batch.batchId)).toBe("completed");
      const b = await batchRow(batch.batchId);
      expect(b.txHash).not.toBe(hash);
      expect(b.nonce).toBe(nonceBefore + 1);
      expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
      expect((await rewardRow(p.rewardId)).txHash).toBe(b.txHash);
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
    }
  });

  it("the distributor refuses a batch id it has paid: even a re-signed transaction cannot pay twice", async () => {
    const p = await verifiedContribution(88);
    const batch = await createPayoutBatch({ actorId: admin.id });
    expect(await processPayoutBatch(batch.batchId)).toBe("completed");
    // Forge the worst case: the database forgets the batch was paid and holds no transaction for it.
    const { db } = testDb.handle;
    await db.update(payoutBatches).set({ status: "pending", txHash: null, rawTx: null, nonce: null }).where(eq(payoutBatches.id, batch.batchId));
    await db.update(rewards).set({ status: "processing", txHash: null }).where(eq(rewards.id, p.rewardId));
    const nonceBefore = await payerNonce();
    // The chain says it is paid: completed with the original transaction, nothing sent.
    expect(await processPayoutBatch(batch.batchId)).toBe("completed");
    expect(await payerNonce()).toBe(nonceBefore);
    expect(await dep.balanceOf(p.address)).toBe(parseUnits(p.amount, 18));
    expect((await rewardRow(p.rewardId)).txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("without the chain configuration, payouts are off with a clear message and rewards stay pending", async () => {
    const p = await verifiedContribution(91);
    const saved = process.env.PAYOUT_PRIVATE_KEY;
    delete process.env.PAYOUT_PRIVATE_KEY;
    resetEnvCache();
    try {
      const error = await createPayoutBatch({ actorId: admin.id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toMatch(/payouts are off.*missing: PAYOUT_PRIVATE_KEY/);
      expect((await rewardRow(p.rewardId)).status).toBe("pending");
    } finally {
      process.env.PAYOUT_PRIVATE_KEY = saved;
      resetEnvCache();
    }
  });

  it("a wrong chain id is refused before anything is signed", async () => {
    await verifiedContribution(93);
    process.env.CHAIN_ID = "1";
    resetEnvCache();
    try {
      const batch = await createPayoutBatch({ actorId: admin.id });
      expect(await processPayoutBatch(batch.batchId)).toBe("failed");
      expect((await batchRow(batch.batchId)).error).toMatch(/serves chain 31337, not CHAIN_ID 1/);
      expect((await batchRow(batch.batchId)).rawTx).toBeNull();
    } finally {
      process.env.CHAIN_ID = "31337";
      resetEnvCache();
    }
  });
});

