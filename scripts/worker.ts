/**
 * `npm run worker`: a job worker as its own process, for scale-out (needs PostgreSQL: the embedded
 * database belongs to one process). Stops gracefully on SIGTERM/SIGINT.
 */
import { getDbHandle } from "@/db/client";
import { loadEnvOrExit } from "@/lib/config/env";
import { tuneGarbageCollection } from "@/lib/gc-tuning";
import { ensureWorker } from "@/lib/job-runtime/start";

tuneGarbageCollection();
const env = loadEnvOrExit();
if (!env.DATABASE_URL) {
  console.error("Configuration error: DATABASE_URL is required for npm run worker (the embedded database serves one process; the app runs its own worker)");
  process.exit(1);
}
getDbHandle();
const worker = ensureWorker();
console.log(`worker ${worker.id} started (concurrency ${env.WORKER_CONCURRENCY}, lease ${env.JOB_LEASE_SECONDS} s)`);
