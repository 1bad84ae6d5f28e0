/** A worker process running the real payout job, for the kill tests (leases of 2 s). */
import { getDbHandle } from "@/db/client";
import { startWorker } from "@/lib/jobs/worker";
import { PAYOUT_JOB, payoutBatchJob } from "@/lib/rewards/payout";

getDbHandle();
startWorker({ handlers: { [PAYOUT_JOB.name]: payoutBatchJob }, concurrency: 1, leaseSeconds: 2, pollMs: 100, id: `payout-child-${process.pid}` });
console.log("ready");
