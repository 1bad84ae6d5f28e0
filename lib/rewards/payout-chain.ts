import "server-only";

import { getAddress, parseUnits, toBeHex, Transaction, zeroPadValue } from "ethers";

import { distributorInterface } from "@/lib/chain/abi";
import { rpcCall, RpcError, type RpcReceipt } from "@/lib/chain/rpc";
import { sleep } from "@/lib/sleep";

import type { PayoutConfig } from "./payout-config";

/** What the distributor's `paid(batchId)` is keyed by: the batch's uuid, left-padded to 32 bytes. */
export const batchKey = (batchId: string) => zeroPadValue(`0x${batchId.replace(/-/g, "")}`, 32);

/** "33.920000000000000000" NWU → 33920000000000000000n base units (18 decimals), exactly. */
export const toBaseUnits = (amount: string) => parseUnits(amount, 18);


/** A payout that cannot go through as it is (wrong chain, contract revert…): not worth retrying blindly. */
export class PayoutRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayoutRejectedError";
  }
}

/** The chain calls a payout makes, each with the configured timeout, retries and breaker. */
export function payoutChain(c: PayoutConfig, signal?: AbortSignal) {
  const o = { url: c.rpcUrl, timeoutMs: c.timeoutMs, signal };
  const call = <T>(method: string, params: unknown[] = []) => rpcCall<T>(o, method, params);
  const ethCall = (data: string) => call<string>("eth_call", [{ to: c.distributor, data }, "latest"]);

  return {
    payer: c.wallet.address.toLowerCase(),

    async assertChain(): Promise<void> {
      const id = Number(await call<string>("eth_chainId"));
      if (id !== c.chainId) throw new PayoutRejectedError(`CHAIN_RPC_URL serves chain ${id}, not CHAIN_ID ${c.chainId}`);
    },

    async isPaid(batchId: string): Promise<boolean> {
      const out = await ethCall(distributorInterface.encodeFunctionData("paid", [batchKey(batchId)]));
      if (out === "0x") throw new PayoutRejectedError(`No distributor contract at ${c.distributor} on chain ${c.chainId}`);
      return distributorInterface.decodeFunctionResult("paid", out)[0] as boolean;
    },

    /** The transaction that paid a batch, from the distributor's BatchPaid event. */
    async paidInTx(batchId: string): Promise<string | null> {
      const topic = distributorInterface.getEvent("BatchPaid")!.topicHash;
      const logs = await call<{ transactionHash: string }[]>("eth_getLogs", [{ address: c.distributor, topics: [topic, batchKey(batchId)], fromBlock: "0x0", toBlock: "latest" }]);
      return logs[0]?.transactionHash ?? null;
    },

    nonce: async (tag: "latest" | "pending") => Number(await call<string>("eth_getTransactionCount", [c.wallet.address, tag])),
    receipt: (hash: string) => call<RpcReceipt | null>("eth_getTransactionReceipt", [hash]),
    known: async (hash: string) => (await call<unknown>("eth_getTransactionByHash", [hash])) !== null,
    blockNumber: async () => Number(await call<string>("eth_blockNumber")),

    /** Encodes, estimates and signs (does not send) the batch's distribute() call with the given nonce. */
    async sign(batchId: string, items: { address: string; amount: string }[], nonce: number): Promise<{ raw: string; hash: string }> {
      const data = distributorInterface.encodeFunctionData("distribute", [batchKey(batchId), items.map((i) => getAddress(i.address)), items.map((i) => toBaseUnits(i.amount))]);
      let gas: bigint;
      try {
        gas = BigInt(await call<string>("eth_estimateGas", [{ from: c.wallet.address, to: c.distributor, data }]));
      } catch (error) {
        if (error instanceof RpcError) throw new PayoutRejectedError(`the distributor refuses this batch: ${revertReason(error)}`);
        throw error;
      }
      const [block, tip] = await Promise.all([
        call<{ baseFeePerGas?: string }>("eth_getBlockByNumber", ["latest", false]),
        call<string>("eth_maxPriorityFeePerGas").catch(() => toBeHex(1_000_000_000n)),
      ]);
      const priority = BigInt(tip);
      const base = BigInt(block.baseFeePerGas ?? "0x0");
      const tx = Transaction.from({
        type: 2,
        chainId: c.chainId,
        nonce,
        to: getAddress(c.distributor),
        data,
        value: 0n,
        gasLimit: (gas * 12n) / 10n,
        maxPriorityFeePerGas: priority,
        maxFeePerGas: base * 2n + priority,
      });
      const raw = await c.wallet.signTransaction(tx);
      return { raw, hash: Transaction.from(raw).hash! };
    },

    /** Broadcasts a signed transaction; "already known" means an earlier broadcast of it got through. */
    async broadcast(raw: string): Promise<"sent" | "known" | "nonce-used"> {
      try {
        await call<string>("eth_sendRawTransaction", [raw]);
        return "sent";
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
        if (/already known|known transaction|already imported/i.test(error.message)) return "known";
        if (/nonce too low|nonce has already been used|replacement transaction underpriced/i.test(error.message)) return "nonce-used";
        throw error;
      }
    },

    /** Waits until the transaction has `confirmations` blocks (its own included), or the timeout. */
    async waitMined(hash: string): Promise<RpcReceipt | null> {
      const deadline = Date.now() + c.confirmTimeoutMs;
      for (;;) {
        const receipt = await call<RpcReceipt | null>("eth_getTransactionReceipt", [hash]);
        if (receipt && (await this.blockNumber()) - Number(receipt.blockNumber) + 1 >= c.confirmations) return receipt;
        if (Date.now() > deadline) return null;
        await sleep(Math.min(1_000, Math.max(100, c.confirmTimeoutMs / 100)), signal);
      }
    },
  };
}

export type PayoutChain = ReturnType<typeof payoutChain>;

function revertReason(error: RpcError): string {
  const data = typeof error.data === "string" ? error.data : (error.data as { data?: string } | undefined)?.data;
  if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
    try {
      const parsed = distributorInterface.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
    } catch {
      // not one of ours
    }
  }
  return error.message.replace(/^eth_estimateGas: /, "");
}
