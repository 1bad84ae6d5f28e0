import { spawn } from "node:child_process";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { jobs } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";

import { enqueueJob } from "./queue";
import { startWorker } from "./worker";

// PostgreSQL only: a second process needs a database both can reach.
const testDb = setupTestDatabase();

const until = async (check: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached in time");
};

describe("a worker process killed mid-job", () => {
  it("loses nothing: the job completes in another worker after the lease expires", async () => {
    const { db } = testDb.handle;
    await db.transaction((tx) => enqueueJob(tx, { kind: "hang", payload: { important: true } }));
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/worker-child.ts"], {
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
      stdio: "ignore",
    });
    const job = async () => (await db.select().from(jobs).where(eq(jobs.kind, "hang")))[0]!;
    await until(async () => (await job()).status === "running");
    expect((await job()).lockedBy).toBe(`child-${child.pid}`);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    let handled: unknown;
    const rescuer = startWorker({ handlers: { hang: async (j) => void (handled = j.payload) }, concurrency: 1, leaseSeconds: 30, pollMs: 100, id: "rescuer" });
    await until(async () => (await job()).status === "succeeded");
    await rescuer.stop();
    expect(handled).toEqual({ important: true });
    expect((await job()).lockedBy).toBe("rescuer");
  });
});
