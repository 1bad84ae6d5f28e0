import "server-only";

import { getEnv } from "@/lib/config/env";
import { CircuitBreaker } from "@/lib/http/circuit-breaker";
import { ExternalServiceError, fetchWithRetry } from "@/lib/http/fetch-retry";

/** A JSON-RPC error answered by the node (it is up; the request itself was refused). */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message}`);
    this.name = "RpcError";
  }
}

// One breaker per RPC endpoint and process: a dead node is not called again for CIRCUIT_COOLDOWN_MS
// after three calls in a row failed (each already retried with backoff), so payouts (lib/rewards/payout-chain.ts)
// and sign-in's smart-wallet check (lib/auth/siwe.ts, through viem over `rpcCall`) fail fast.
// On globalThis: Next bundles route handlers and instrumentation (the job worker) separately, and
// both must see one breaker per endpoint.
const globalForRpc = globalThis as unknown as { __nwuRpcBreakers?: Map<string, CircuitBreaker> };
const breakers = (globalForRpc.__nwuRpcBreakers ??= new Map<string, CircuitBreaker>());
const breakerFor = (url: string) => {
  let b = breakers.get(url);
  if (!b) breakers.set(url, (b = new CircuitBreaker("chain RPC", { failureThreshold: 3, cooldownMs: getEnv().CIRCUIT_COOLDOWN_MS })));
  return b;
};

/** The breaker's state for an endpoint ("closed" until a call has been made). */
export const rpcBreakerState = (url: string) => breakers.get(url)?.state ?? "closed";

export interface RpcOptions {
  url: string;
  timeoutMs: number;
  /** Retries after the first attempt, with exponential backoff (every call we make is idempotent). */
  retries?: number;
  signal?: AbortSignal;
}

let nextId = 1;

/**
 * Calls one JSON-RPC method: per-attempt timeout, retries with backoff on transport failures,
 * and a circuit breaker. Only transport failures count against the breaker, not the node's answers.
 */
export async function rpcCall<T>(o: RpcOptions, method: string, params: unknown[] = []): Promise<T> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params });
  const res = await breakerFor(o.url).run(async () => {
    const r = await fetchWithRetry(o.url, { method: "POST", headers: { "content-type": "application/json" }, body }, { service: "chain RPC", timeoutMs: o.timeoutMs, retries: o.retries ?? 2, signal: o.signal });
    if (!r.ok) throw new ExternalServiceError("chain RPC", `HTTP ${r.status}`, r.status);
    try {
      return (await r.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
    } catch {
      throw new ExternalServiceError("chain RPC", "answered something that is not JSON-RPC");
    }
  });
  if (res.error) throw new RpcError(method, res.error.code, res.error.message, res.error.data);
  return res.result as T;
}

export interface RpcReceipt {
  transactionHash: string;
  blockNumber: string;
  status: string;
  logs: { address: string; topics: string[]; data: string }[];
}
