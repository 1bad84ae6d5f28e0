import "server-only";

import { getEnv } from "@/lib/config/env";

import { JOB_HANDLERS } from "./handlers";
import { startWorker, type Worker } from "./worker";

const globalForWorker = globalThis as unknown as { __nwuWorker?: Worker };

/** Starts this process's job worker once (the app's in-process worker, or `npm run worker`). */
export function ensureWorker(): Worker {
  if (!globalForWorker.__nwuWorker) {
    const env = getEnv();
    const worker = startWorker({ handlers: JOB_HANDLERS, concurrency: env.WORKER_CONCURRENCY, leaseSeconds: env.JOB_LEASE_SECONDS });
    globalForWorker.__nwuWorker = worker;
    const stop = (signal: NodeJS.Signals) => {
      // Finish what is running (up to 10 s), hand back the rest, then let the process exit.
      void worker.stop(10_000).finally(() => process.kill(process.pid, signal));
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  }
  return globalForWorker.__nwuWorker;
}

export function startInProcessWorkerIfEnabled(): void {
  if (getEnv().WORKERS === "in-process") ensureWorker();
}
