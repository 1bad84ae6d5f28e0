/** A worker process for the kill test: takes "hang" jobs and never finishes them. */
import { getDbHandle } from "@/db/client";
import { startWorker } from "@/lib/jobs/worker";

getDbHandle();
startWorker({ handlers: { hang: () => new Promise<void>(() => {}) }, concurrency: 1, leaseSeconds: 2, pollMs: 100, id: `child-${process.pid}` });
console.log("ready");
