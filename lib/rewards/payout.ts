import "server-only";

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";

import { getDb, queryRows, type Tx } from "@/db/client";
import { isoText } from "@/db/iso-text";
import { auditLog, payoutBatches, rewards, users } from "@/db/schema";
import { ConflictError, NotFoundError, ServiceUnavailableError } from "@/lib/errors";
import { jobKind } from "@/lib/jobs/kind";
import { recordEvents } from "@/lib/outbox/record";
import { keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import { payoutChain, PayoutRejectedError, type PayoutChain } from "./payout-chain";
import { payoutConfig, payoutsEnabled, type PayoutConfig } from "./payout-config";

/** Pays one batch on chain (queued by "Pay pending rewards" and by Retry). */
export const PAYOUT_JOB = jobKind("pay-reward-batch", z.object({ batchId: z.string().uuid() }));

function enabledConfig(): PayoutConfig {
  const c = payoutConfig();
  if (!payoutsEnabled(c)) throw new ServiceUnavailableError(c.disabled);
  return c;
}

/**
 * "Pay pending rewards": the oldest pending rewards (up to PAYOUT_BATCH_SIZE) move to processing
 * in a new batch, and its payout job is queued — one transaction, so a crash leaves either nothing
 * or a batch its job will pay.
 */
export async function createPayoutBatch(input: { actorId: string }): Promise<{ batchId: string; rewardCount: number; totalAmount: string }> {
  const c = enabledConfig();
  return getDb().transaction(async (tx) => {
    const picked = await tx
      .select({ id: rewards.id })
      .from(rewards)
      .where(eq(rewards.status, "pending"))
      .orderBy(asc(rewards.createdAt), asc(rewards.id))
      .limit(c.batchSize)
      .for("update", { skipLocked: true });
    if (picked.length === 0) throw new ConflictError("No pending rewards to pay");
    const [batch] = await tx
      .insert(payoutBatches)
      .values({ chainId: c.chainId, createdBy: input.actorId, payerAddress: c.wallet.address.toLowerCase(), rewardCount: picked.length })
      .returning({ id: payoutBatches.id });
    await tx
      .update(rewards)
      .set({ status: "processing", batchId: batch!.id, failureReason: null, updatedAt: sql`now()` })
      .where(inArray(rewards.id, picked.map((p) => p.id)));
    const [total] = await tx
      .update(payoutBatches)
      .set({ totalAmount: sql`(SELECT coalesce(sum(${rewards.amount}), 0) FROM ${rewards} WHERE ${rewards.batchId} = ${batch!.id})` })
      .where(eq(payoutBatches.id, batch!.id))
      .returning({ totalAmount: payoutBatches.totalAmount });
    await tx.insert(auditLog).values({ actorId: input.actorId, entityType: "payout_batch", entityId: batch!.id, action: "payout.create", toStatus: "pending", details: { rewards: picked.length } });
    await PAYOUT_JOB.enqueue(tx, { batchId: batch!.id });
    return { batchId: batch!.id, rewardCount: picked.length, totalAmount: total!.totalAmount };
  });
}

/** A failed batch goes again: its rewards back to processing, its job queued. The chain is checked first, so it is never paid twice. */
export async function retryPayoutBatch(input: { actorId: string; batchId: string }): Promise<void> {
  enabledConfig();
  await getDb().transaction(async (tx) => {
    const [batch] = await tx
      .update(payoutBatches)
      .set({ status: "pending", error: null, updatedAt: sql`now()` })
      .where(and(eq(payoutBatches.id, input.batchId), eq(payoutBatches.status, "failed")))
      .returning({ id: payoutBatches.id });
    if (!batch) throw new NotFoundError("No failed payout batch with this id");
    await tx
      .update(rewards)
      .set({ status: "processing", failureReason: null, updatedAt: sql`now()` })
      .where(and(eq(rewards.batchId, input.batchId), eq(rewards.status, "failed")));
    await tx.insert(auditLog).values({ actorId: input.actorId, entityType: "payout_batch", entityId: input.batchId, action: "payout.retry", fromStatus: "failed", toStatus: "pending" });
    await PAYOUT_JOB.enqueue(tx, { batchId: input.batchId });
  });
}

type BatchRow = typeof payoutBatches.$inferSelect;

const rewardEventColumns = { id: rewards.id, userId: rewards.userId, contributionId: rewards.contributionId, amount: rewards.amount };

async function loadBatch(batchId: string): Promise<BatchRow | undefined> {
  const [batch] = await getDb().select().from(payoutBatches).where(eq(payoutBatches.id, batchId));
  return batch;
}

async function markCompleted(c: PayoutConfig, batchId: string, txHash: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    await tx
      .update(payoutBatches)
      .set({ status: "completed", txHash, error: null, completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(payoutBatches.id, batchId));
    const paid = await tx
      .update(rewards)
      .set({ status: "distributed", txHash, chainId: c.chainId, failureReason: null, distributedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(rewards.batchId, batchId), inArray(rewards.status, ["processing", "failed"])))
      .returning(rewardEventColumns);
    await recordEvents(
      tx,
      paid.map((r) => ({
        type: "reward.distributed",
        audience: [r.userId],
        data: { reward_id: r.id, contribution_id: r.contributionId, amount: r.amount, tx_hash: txHash, chain_id: c.chainId, batch_id: batchId, distributed_at: new Date().toISOString() },
      })),
    );
    await tx.insert(auditLog).values({ actorKind: "system", entityType: "payout_batch", entityId: batchId, action: "payout.complete", toStatus: "completed", details: { txHash, chainId: c.chainId } });
  });
}

async function markFailed(batchId: string, reason: string, opts: { forgetTx?: boolean } = {}): Promise<void> {
  const message = reason.slice(0, 1000);
  await getDb().transaction(async (tx) => {
    await tx
      .update(payoutBatches)
      .set({ status: "failed", error: message, updatedAt: sql`now()`, ...(opts.forgetTx ? { rawTx: null, nonce: null, txHash: null } : {}) })
      .where(eq(payoutBatches.id, batchId));
    const failed = await tx
      .update(rewards)
      .set({ status: "failed", failureReason: message, updatedAt: sql`now()`, ...(opts.forgetTx ? { txHash: null } : {}) })
      .where(and(eq(rewards.batchId, batchId), eq(rewards.status, "processing")))
      .returning(rewardEventColumns);
    await recordEvents(
      tx,
      failed.map((r) => ({
        type: "payout.failed",
        audience: [r.userId],
        data: { reward_id: r.id, contribution_id: r.contributionId, amount: r.amount, batch_id: batchId, reason: message, failed_at: new Date().toISOString() },
      })),
    );
    await tx.insert(auditLog).values({ actorKind: "system", entityType: "payout_batch", entityId: batchId, action: "payout.fail", toStatus: "failed", reason: message });
  });
}

/**
 * Signs the batch's transaction with the next free nonce and stores it (nonce, raw transaction,
 * hash — on the batch and its rewards) BEFORE anything is broadcast. The nonce is the larger of
 * the chain's pending count and one past any unconfirmed batch of ours, under a lock per payer.
 */
async function signAndStore(chain: PayoutChain, c: PayoutConfig, batch: BatchRow): Promise<{ raw: string; hash: string }> {
  const items = await queryRows<{ address: string; amount: string }>(
    getDb(),
    sql`SELECT ${users.address} AS address, ${rewards.amount}::text AS amount FROM ${rewards} JOIN ${users} ON ${users.id} = ${rewards.userId}
        WHERE ${rewards.batchId} = ${batch.id} AND ${rewards.status} = 'processing' ORDER BY ${rewards.id}`,
  );
  if (items.length === 0) throw new PayoutRejectedError("the batch has no rewards left to pay");
  const chainNonce = await chain.nonce("pending");
  return getDb().transaction(async (tx: Tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`payout:${c.chainId}:${chain.payer}`}))`);
    const [row] = await queryRows<{ next: number | string }>(
      tx,
      sql`SELECT coalesce(max(${payoutBatches.nonce}) + 1, 0) AS next FROM ${payoutBatches}
          WHERE ${payoutBatches.chainId} = ${c.chainId} AND ${payoutBatches.payerAddress} = ${chain.payer} AND ${payoutBatches.status} IN ('sending', 'confirming') AND ${payoutBatches.id} <> ${batch.id}`,
    );
    const nonce = Math.max(chainNonce, Number(row!.next));
    const signed = await chain.sign(batch.id, items, nonce);
    const [stored] = await tx
      .update(payoutBatches)
      .set({ status: "sending", payerAddress: chain.payer, chainId: c.chainId, nonce, txHash: signed.hash, rawTx: signed.raw, sentAt: sql`now()`, error: null, updatedAt: sql`now()` })
      .where(and(eq(payoutBatches.id, batch.id), inArray(payoutBatches.status, ["pending", "sending", "confirming"])))
      .returning({ id: payoutBatches.id });
    if (!stored) throw new ConflictError("The batch changed while it was being signed");
    await tx.update(rewards).set({ txHash: signed.hash, chainId: c.chainId, updatedAt: sql`now()` }).where(and(eq(rewards.batchId, batch.id), eq(rewards.status, "processing")));
    return signed;
  });
}

export type PayoutOutcome = "completed" | "failed" | "waiting";

/**
 * Pays one batch, resuming from whatever a previous run left (crash-safe, never twice):
 * 1. paid on chain already (the distributor records each batch id) → completed;
 * 2. a signed transaction stored → mined: completed / reverted: failed; still known to the node:
 *    wait; its nonce used by something else: it can never be mined, sign anew; else re-send it;
 * 3. nothing stored → sign with an explicit nonce, store, then broadcast;
 * then wait for PAYOUT_CONFIRMATIONS blocks. A failure before anything was broadcast (RPC down,
 * the contract refusing) marks the batch and its rewards failed with the reason — retryable.
 */
export async function processPayoutBatch(batchId: string, opts: { signal?: AbortSignal; lastAttempt?: boolean } = {}): Promise<PayoutOutcome> {
  const c = enabledConfig();
  let batch = await loadBatch(batchId);
  if (!batch) throw new NotFoundError("No payout batch with this id");
  if (batch.status === "completed" || batch.status === "failed") return batch.status;
  const chain = payoutChain(c, opts.signal);
  try {
    await chain.assertChain();
    if (await chain.isPaid(batchId)) {
      const hash = (batch.txHash && (await chain.receipt(batch.txHash))?.status === "0x1" ? batch.txHash : null) ?? (await chain.paidInTx(batchId));
      await markCompleted(c, batchId, hash ?? batch.txHash ?? "");
      return "completed";
    }
    let hash = batch.txHash;
    if (batch.rawTx && hash) {
      const receipt = await chain.receipt(hash);
      if (receipt?.status === "0x0") {
        await markFailed(batchId, `payout transaction ${hash} reverted`, { forgetTx: true });
        return "failed";
      }
      if (!receipt && !(await chain.known(hash))) {
        if ((await chain.nonce("latest")) > batch.nonce!) {
          // Its nonce went to another transaction: this one can never be mined. Sign it again.
          hash = null;
        } else {
          await chain.broadcast(batch.rawTx);
        }
      }
    }
    if (!hash) {
      batch = { ...batch, status: "pending" };
      const signed = await signAndStore(chain, c, batch);
      hash = signed.hash;
      const sent = await chain.broadcast(signed.raw);
      if (sent === "nonce-used") throw new Error(`nonce ${batch.nonce ?? "?"} was taken before ${hash} got through; will re-check`);
    }
    await getDb().update(payoutBatches).set({ status: "confirming", updatedAt: sql`now()` }).where(and(eq(payoutBatches.id, batchId), inArray(payoutBatches.status, ["pending", "sending"])));
    const receipt = await chain.waitMined(hash);
    if (!receipt) throw new Error(`payout transaction ${hash} not mined within ${c.confirmTimeoutMs} ms; checking again later`);
    if (receipt.status !== "0x1") {
      await markFailed(batchId, `payout transaction ${hash} reverted`, { forgetTx: true });
      return "failed";
    }
    await markCompleted(c, batchId, hash);
    return "completed";
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const current = await loadBatch(batchId);
    // Nothing was broadcast (or the contract refused outright): safe to fail now, retry later.
    if (error instanceof PayoutRejectedError || !current?.rawTx || opts.lastAttempt) {
      await markFailed(batchId, reason);
      return "failed";
    }
    throw error; // a transaction may be in flight: the job retries, and the next run checks the chain first
  }
}

/** The job that pays a batch; its lease and retries make a killed worker's batch resume elsewhere. */
export const payoutBatchJob = PAYOUT_JOB.handler(async ({ batchId }, { signal, job }) => {
  await processPayoutBatch(batchId, { signal, lastAttempt: job.attempts >= job.maxAttempts });
});

export interface PublicPayoutBatch {
  id: string;
  status: string;
  chain_id: number | null;
  reward_count: number;
  total_amount: string;
  tx_hash: string | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
}

const BATCH_COLUMNS = sql`${payoutBatches.id} AS id, ${payoutBatches.status} AS status, ${payoutBatches.chainId} AS chain_id, ${payoutBatches.rewardCount} AS reward_count,
  trim_scale(${payoutBatches.totalAmount})::text AS total_amount, ${payoutBatches.txHash} AS tx_hash, ${payoutBatches.error} AS error,
  ${isoText(payoutBatches.createdAt)} AS created_at, ${isoText(payoutBatches.completedAt)} AS completed_at, ${payoutBatches.createdAt}::text AS cursor_at`;

/** Admins' view of payout batches, newest first, keyset-paginated. */
export async function listPayoutBatches(input: { cursor?: Cursor; limit: number }): Promise<Page<PublicPayoutBatch>> {
  const order = keyset(payoutBatches.createdAt, payoutBatches.id, input.cursor);
  const rows = await queryRows<PublicPayoutBatch & { cursor_at: string }>(
    getDb(),
    sql`SELECT ${BATCH_COLUMNS} FROM ${payoutBatches} ${order.where ? sql`WHERE ${order.where}` : sql``} ORDER BY ${order.orderBy} LIMIT ${input.limit + 1}`,
  );
  return toPage(rows, input.limit, ({ cursor_at: _c, ...b }) => b, input.cursor);
}
