import "server-only";

import { getDb } from "@/db/client";
import { getEnv } from "@/lib/config/env";
import { log } from "@/lib/log";
import { scheduleMeterReport } from "@/lib/payments/meter-report";
import { paymentsEnabled } from "@/lib/payments/stripe";
import { scheduleRevenueShareClose } from "@/lib/revenue/close-job";
import { scheduleCalibrationBatch } from "@/lib/verification/calibration";
import { scheduleWebhookRetention } from "@/lib/webhooks/retention";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { onShutdown } from "@/lib/lifecycle";

import { JOB_HANDLERS, WEBHOOK_HANDLERS } from "./handlers";

const globalForWorker = globalThis as unknown as { __nwuWorker?: Worker; __nwuWebhookWorker?: Worker };

/** Starts this process's job worker once (the app's in-process worker, or `npm run worker`). */
export function ensureWorker(): Worker {
  if (!globalForWorker.__nwuWorker) {
    const env = getEnv();
    const worker = startWorker({ handlers: JOB_HANDLERS, concurrency: env.WORKER_CONCURRENCY, leaseSeconds: env.JOB_LEASE_SECONDS });
    globalForWorker.__nwuWorker = worker;
    const webhooks = startWorker({ handlers: WEBHOOK_HANDLERS, concurrency: env.WEBHOOK_CONCURRENCY, leaseSeconds: env.JOB_LEASE_SECONDS, id: `${worker.id}:webhooks` });
    globalForWorker.__nwuWebhookWorker = webhooks;
    // On shutdown: finish what is running (up to 10 s), hand the rest back to the queue.
    onShutdown("job worker", () => worker.stop(10_000));
    onShutdown("webhook worker", () => webhooks.stop(10_000));
    // The daily calibration batch schedules its successor; this starts the chain (one job per day, deduplicated).
    getDb()
      .transaction(async (tx) => {
        await scheduleCalibrationBatch(tx);
        await scheduleWebhookRetention(tx);
        // Overage goes to Stripe's meter every METER_REPORT_SECONDS, when payments are on.
        if (paymentsEnabled()) await scheduleMeterReport(tx);
        // Each month's revenue share closes an hour after the month ends.
        await scheduleRevenueShareClose(tx);
      })
      .catch((error: unknown) => log.warn("could not schedule the periodic jobs (calibration, webhook retention, meter reports, revenue share)", { error: String(error) }));
  }
  return globalForWorker.__nwuWorker;
}

export function startInProcessWorkerIfEnabled(): void {
  if (getEnv().WORKERS === "in-process") ensureWorker();
}
