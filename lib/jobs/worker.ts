import "server-only";

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

import type { Job } from "@/db/schema";
import { listenChannel } from "@/lib/events/bus";

import { JOBS_CHANNEL, claimJobs, completeJob, failJob, releaseJob, renewLease } from "./queue";
import { log, withLogContext } from "@/lib/log";

export type JobHandler = (job: Job, ctx: { signal: AbortSignal }) => Promise<void>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  concurrency: number;
  leaseSeconds: number;
  /** How often an idle worker looks for due jobs (retries whose backoff ended, expired leases). */
  pollMs?: number;
  id?: string;
}

export interface Worker {
  id: string;
  /** Stops claiming, waits for running jobs up to `graceMs`, then gives the rest back. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A job worker: claims due jobs (SKIP LOCKED), runs them with a renewed lease, records success,
 * retries failures with backoff, and parks the last failure as dead. A worker that dies simply
 * stops renewing: its jobs are taken over once their lease expires.
 */
export function startWorker(options: WorkerOptions): Worker {
  const id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const kinds = Object.keys(options.handlers);
  const pollMs = options.pollMs ?? 1_000;
  const active = new Map<string, { job: Job; done: Promise<void>; abort: AbortController }>();
  let stopping = false;
  let wake: (() => void) | undefined;
  let nudged = false;
  const nudge = () => {
    if (wake) wake();
    else nudged = true;
  };
  let unlisten: (() => void) | undefined;
  listenChannel(JOBS_CHANNEL, nudge)
    .then((u) => (stopping ? u() : (unlisten = u)))
    .catch((error) => log.error("worker LISTEN failed, polling only", { worker: id, error }));

  const run = async (job: Job, abort: AbortController) => {
    const renew = setInterval(
      () => {
        renewLease(job, id, options.leaseSeconds)
          .then((held) => {
            if (!held) abort.abort(new Error("lease lost"));
          })
          .catch(() => {});
      },
      Math.max(1_000, (options.leaseSeconds * 1000) / 3),
    );
    try {
      await withLogContext({ jobId: job.id }, () => options.handlers[job.kind]!(job, { signal: abort.signal }));
      await completeJob(job, id);
    } catch (error) {
      if (abort.signal.aborted && stopping) return; // released on shutdown
      const outcome = await failJob(job, id, error).catch(() => "unknown");
      log.error("job attempt failed", { worker: id, kind: job.kind, attempt: job.attempts, outcome, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      clearInterval(renew);
    }
  };

  const loop = (async () => {
    while (!stopping) {
      const free = options.concurrency - active.size;
      let claimed: Job[] = [];
      if (free > 0) {
        try {
          claimed = await claimJobs({ workerId: id, kinds, limit: free, leaseSeconds: options.leaseSeconds });
        } catch (error) {
          log.error("worker claim failed", { worker: id, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      for (const job of claimed) {
        const abort = new AbortController();
        const done = run(job, abort).finally(() => {
          active.delete(job.id);
          nudge();
        });
        active.set(job.id, { job, done, abort });
      }
      if ((claimed.length > 0 && claimed.length === free) || nudged) {
        nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    id,
    async stop(graceMs = 10_000) {
      stopping = true;
      nudge();
      unlisten?.();
      await loop;
      const pending = [...active.values()];
      await Promise.race([Promise.all(pending.map((a) => a.done)), new Promise((r) => setTimeout(r, graceMs))]);
      for (const { job, abort } of active.values()) {
        abort.abort(new Error("worker stopping"));
        await releaseJob(job, id).catch(() => {});
      }
    },
  };
}
