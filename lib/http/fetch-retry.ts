import { sleep } from "@/lib/sleep";

/**
 * fetch with a per-attempt timeout and retries with exponential backoff (and jitter) on network
 * errors, timeouts, 429 and 5xx — for idempotent calls to external services only.
 */
export class ExternalServiceError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${service}: ${message}`);
    this.name = "ExternalServiceError";
  }
}

export interface RetryOptions {
  service: string;
  timeoutMs: number;
  retries: number;
  baseDelayMs?: number;
  signal?: AbortSignal;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export async function fetchWithRetry(url: string, init: RequestInit, o: RetryOptions): Promise<Response> {
  const base = o.baseDelayMs ?? 250;
  let lastError: ExternalServiceError | undefined;
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await sleep(base * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4), o.signal);
    const signal = o.signal ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]) : AbortSignal.timeout(o.timeoutMs);
    try {
      const res = await fetch(url, { ...init, signal });
      if (!RETRYABLE(res.status)) return res;
      lastError = new ExternalServiceError(o.service, `HTTP ${res.status}`, res.status);
      await res.body?.cancel();
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason;
      const timedOut = (error as Error).name === "TimeoutError";
      lastError = new ExternalServiceError(o.service, timedOut ? `no answer within ${o.timeoutMs} ms` : `unreachable (${(error as Error).message})`);
    }
  }
  throw lastError!;
}
