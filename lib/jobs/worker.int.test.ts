import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { jobs } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";

import { backoffMs, claimJobs, completeJob, enqueueJob, failJob, requeueDeadJob } from "./queue";
import { startWorker } from "./worker";

const testDb = setupTestDatabase();

async function enqueue(kind: string, n = 1, payload: Record<string, unknown> = {}) {
  await testDb.handle.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) await enqueueJob(tx, { kind, payload: { ...payload, i } });
  });
}

const until = async (check: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not reached in time");
};

describe("jobs", () => {
  it("two workers racing over the same jobs process each exactly once", async () => {
    const runs = new Map<number, number>();
    const handler = async (job: { payload: Record<string, unknown> }) => {
      const i = job.payload.i as number;
      runs.set(i, (runs.get(i) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    };
    await enqueue("race", 40);
    const a = startWorker({ handlers: { race: handler }, concurrency: 4, leaseSeconds: 30, pollMs: 50, id: "a" });
    const b = startWorker({ handlers: { race: handler }, concurrency: 4, leaseSeconds: 30, pollMs: 50, id: "b" });
    await until(async () => (await testDb.handle.db.$count(jobs, eq(jobs.status, "succeeded"))) === 40);
    await Promise.all([a.stop(), b.stop()]);
    expect(runs.size).toBe(40);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it("a job whose worker died mid-job is taken over after its lease expires", async () => {
    await enqueue("crash");
    const [taken] = await claimJobs({ workerId: "dead-worker", kinds: ["crash"], limit: 1, leaseSeconds: 1 });
    expect(taken).toBeDefined();
    // dead-worker never finishes nor renews. Before the lease ends nobody else can take the job…
    expect(await claimJobs({ workerId: "other", kinds: ["crash"], limit: 1, leaseSeconds: 30 })).toEqual([]);
    let ran = 0;
    const w = startWorker({ handlers: { crash: async () => void ran++ }, concurrency: 1, leaseSeconds: 30, pollMs: 100, id: "rescuer" });
    await until(async () => (await testDb.handle.db.select({ s: jobs.status }).from(jobs).where(eq(jobs.id, taken!.id)))[0]!.s === "succeeded");
    await w.stop();
    expect(ran).toBe(1);
    const [row] = await testDb.handle.db.select().from(jobs).where(eq(jobs.id, taken!.id));
    expect(row!.attempts).toBe(2);
    // The dead worker's late completion cannot overwrite the rescuer's.
    await completeJob(taken!, "dead-worker");
    expect((await testDb.handle.db.select({ by: jobs.lockedBy }).from(jobs).where(eq(jobs.id, taken!.id)))[0]!.by).toBe("rescuer");
  });

  it("retries with exponential backoff, then parks the job as dead with its error; admins re-queue it", async () => {
    await testDb.handle.db.transaction((tx) => enqueueJob(tx, { kind: "flaky", payload: {} }));
    await testDb.handle.db.update(jobs).set({ maxAttempts: 2 }).where(eq(jobs.kind, "flaky"));
    const [first] = await claimJobs({ workerId: "w", kinds: ["flaky"], limit: 1, leaseSeconds: 30 });
    expect(await failJob(first!, "w", new Error("first failure"))).toBe("retry");
    const [queued] = await testDb.handle.db.select().from(jobs).where(eq(jobs.id, first!.id));
    expect(queued!.status).toBe("queued");
    expect(queued!.runAt.getTime()).toBeGreaterThan(Date.now() + 1000);
    await testDb.handle.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, first!.id));
    const [second] = await claimJobs({ workerId: "w", kinds: ["flaky"], limit: 1, leaseSeconds: 30 });
    expect(await failJob(second!, "w", new Error("second failure"))).toBe("dead");
    const [dead] = await testDb.handle.db.select().from(jobs).where(eq(jobs.id, first!.id));
    expect(dead).toMatchObject({ status: "dead", lastError: "second failure", attempts: 2 });
    await requeueDeadJob(first!.id);
    const [again] = await testDb.handle.db.select().from(jobs).where(eq(jobs.id, first!.id));
    expect(again).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("backoff doubles per attempt, with jitter, capped", () => {
    expect(backoffMs(1)).toBeGreaterThanOrEqual(1600);
    expect(backoffMs(1)).toBeLessThanOrEqual(2400);
    expect(backoffMs(4)).toBeGreaterThanOrEqual(12_800);
    expect(backoffMs(30)).toBeLessThanOrEqual(12 * 60_000);
  });

  it("graceful stop gives back a job that did not finish in time", async () => {
    await enqueue("slow");
    let started = false;
    const w = startWorker({
      handlers: { slow: async (_job, { signal }) => { started = true; await new Promise((r) => signal.addEventListener("abort", r)); throw new Error("aborted"); } },
      concurrency: 1,
      leaseSeconds: 30,
      pollMs: 50,
      id: "leaver",
    });
    await until(async () => started);
    await w.stop(100);
    const [row] = await testDb.handle.db.select().from(jobs).where(eq(jobs.kind, "slow"));
    expect(row).toMatchObject({ status: "queued", lockedUntil: null, attempts: 0 });
  });
});
