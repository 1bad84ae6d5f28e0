import "server-only";

import { Wallet } from "ethers";

import { getEnv, type Env } from "@/lib/config/env";

export interface PayoutConfig {
  rpcUrl: string;
  chainId: number;
  token: string;
  distributor: string;
  /** The signer: the distributor's owner. Never leaves the server. */
  wallet: Wallet;
  confirmations: number;
  batchSize: number;
  timeoutMs: number;
  confirmTimeoutMs: number;
}

const REQUIRED = ["CHAIN_RPC_URL", "CHAIN_ID", "TOKEN_ADDRESS", "DISTRIBUTOR_ADDRESS", "PAYOUT_PRIVATE_KEY"] as const;

let cached: { env: Env; config: PayoutConfig | { disabled: string } } | undefined;

/** The payout configuration, or why payouts are off (rewards then stay pending). */
export function payoutConfig(env: Env = getEnv()): PayoutConfig | { disabled: string } {
  if (cached?.env === env) return cached.config;
  const missing = REQUIRED.filter((name) => env[name] === undefined);
  const config: PayoutConfig | { disabled: string } = missing.length
    ? { disabled: `On-chain payouts are off: set ${REQUIRED.join(", ")} (missing: ${missing.join(", ")}). Rewards stay pending until then.` }
    : {
        rpcUrl: env.CHAIN_RPC_URL!,
        chainId: env.CHAIN_ID!,
        token: env.TOKEN_ADDRESS!.toLowerCase(),
        distributor: env.DISTRIBUTOR_ADDRESS!.toLowerCase(),
        wallet: new Wallet(env.PAYOUT_PRIVATE_KEY!),
        confirmations: env.PAYOUT_CONFIRMATIONS,
        batchSize: env.PAYOUT_BATCH_SIZE,
        timeoutMs: env.CHAIN_TIMEOUT_MS,
        confirmTimeoutMs: env.PAYOUT_CONFIRM_TIMEOUT_MS,
      };
  cached = { env, config };
  return config;
}

export const payoutsEnabled = (c: PayoutConfig | { disabled: string }): c is PayoutConfig => !("disabled" in c);
