import "server-only";

import { and, eq, inArray, lt, lte, or, sql } from "drizzle-orm";

import { getDb, type Tx } from "@/db/client";
import { jobs, type Job } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/** Workers LISTEN here so a new job starts at once instead of at the next poll. */
export const JOBS_CHANNEL = "jobs_queued";

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/** Enqueues inside the caller's transaction: the job exists exactly when the work it describes does. */
export async function enqueueJob(tx: Tx, job: { kind: string; payload: Record<string, unknown>; dedupeKey?: string; runAt?: Date }): Promise<void> {
  await tx
    .insert(jobs)
    .values({ kind: job.kind, payload: job.payload, dedupeKey: job.dedupeKey ?? null, runAt: job.runAt ?? sql`now()` })
    .onConflictDoNothing({ target: jobs.dedupeKey });
  await tx.execute(sql`SELECT pg_notify(${JOBS_CHANNEL}, ${job.kind})`);
}

/**
 * Claims up to `limit` runnable jobs: queued and due, or running with an expired lease (their
 * worker died). FOR UPDATE SKIP LOCKED lets many workers claim concurrently without waiting on
 * or double-taking each other's rows.
 */
export async function claimJobs(input: { workerId: string; kinds: string[]; limit: number; leaseSeconds: number }): Promise<Job[]> {
  if (input.limit <= 0 || input.kinds.length === 0) return [];
  const db = getDb();
  const runnable = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, input.kinds),
        or(and(eq(jobs.status, "queued"), lte(jobs.runAt, sql`now()`)), and(eq(jobs.status, "running"), lt(jobs.lockedUntil, sql`now()`))),
      ),
    )
    .orderBy(jobs.runAt)
    .limit(input.limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: input.workerId,
      lockedUntil: sql`now() + make_interval(secs => ${input.leaseSeconds})`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, runnable))
    .returning();
}

/** Extends a lease the worker still holds; false when another worker has taken the job over. */
export async function renewLease(job: Pick<Job, "id">, workerId: string, leaseSeconds: number): Promise<boolean> {
  const rows = await getDb()
    .update(jobs)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function completeJob(job: Pick<Job, "id">, workerId: string): Promise<void> {
  await getDb()
    .update(jobs)
    .set({ status: "succeeded", lockedUntil: null, lastError: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)));
}

export function backoffMs(attempts: number): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

/** A failed attempt: retried after an exponential backoff, or parked as `dead` after the last one. */
export async function failJob(job: Pick<Job, "id" | "attempts" | "maxAttempts">, workerId: string, error: unknown): Promise<"retry" | "dead"> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const dead = job.attempts >= job.maxAttempts;
  await getDb()
    .update(jobs)
    .set(
      dead
        ? { status: "dead", lockedUntil: null, lastError: message, updatedAt: sql`now()` }
        : { status: "queued", lockedUntil: null, lastError: message, runAt: new Date(Date.now() + backoffMs(job.attempts)), updatedAt: sql`now()` },
    )
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)));
  return dead ? "dead" : "retry";
}

/** Gives a job back (graceful shutdown): another worker may take it at once. */
export async function releaseJob(job: Pick<Job, "id" | "attempts">, workerId: string): Promise<void> {
  await getDb()
    .update(jobs)
    .set({ status: "queued", lockedUntil: null, attempts: sql`greatest(0, ${jobs.attempts} - 1)`, runAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")));
}

/** Admins re-queue a dead job: attempts start over. */
export async function requeueDeadJob(id: string): Promise<void> {
  const rows = await getDb()
    .update(jobs)
    .set({ status: "queued", attempts: 0, runAt: sql`now()`, lockedUntil: null, lockedBy: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.status, "dead")))
    .returning({ id: jobs.id });
  if (rows.length === 0) throw new NotFoundError("No dead job with this id");
}
