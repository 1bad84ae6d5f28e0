import "server-only";

import { getEnv } from "@/lib/config/env";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { onShutdown } from "@/lib/lifecycle";

import { JOB_HANDLERS } from "./handlers";

const globalForWorker = globalThis as unknown as { __nwuWorker?: Worker };

/** Starts this process's job worker once (the app's in-process worker, or `npm run worker`). */
export function ensureWorker(): Worker {
  if (!globalForWorker.__nwuWorker) {
    const env = getEnv();
    const worker = startWorker({ handlers: JOB_HANDLERS, concurrency: env.WORKER_CONCURRENCY, leaseSeconds: env.JOB_LEASE_SECONDS });
    globalForWorker.__nwuWorker = worker;
    // On shutdown: finish what is running (up to 10 s), hand the rest back to the queue.
    onShutdown("job worker", () => worker.stop(10_000));
  }
  return globalForWorker.__nwuWorker;
}

export function startInProcessWorkerIfEnabled(): void {
  if (getEnv().WORKERS === "in-process") ensureWorker();
}
