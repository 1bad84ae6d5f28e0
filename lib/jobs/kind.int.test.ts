import { eq } from "drizzle-orm";
import { z } from "zod";
import { describe, expect, it } from "vitest";

import { jobs } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";

import { jobKind } from "./kind";
import { startWorker } from "./worker";

const testDb = setupTestDatabase();
const EXAMPLE = jobKind("example-kind", z.object({ thingId: z.string().uuid() }));

describe("job kinds", () => {
  it("enqueue only their own payload shape, and hand the handler the parsed payload", async () => {
    const { db } = testDb.handle;
    const thingId = "00000000-0000-4000-8000-000000000001";
    await db.transaction((tx) => EXAMPLE.enqueue(tx, { thingId }));
    await expect(db.transaction((tx) => EXAMPLE.enqueue(tx, { thingId: "nope" }))).rejects.toThrow();
    expect((await db.select().from(jobs).where(eq(jobs.kind, "example-kind"))).map((j) => j.payload)).toEqual([{ thingId }]);

    const seen: string[] = [];
    const worker = startWorker({ handlers: { [EXAMPLE.name]: EXAMPLE.handler(async (p) => void seen.push(p.thingId)) }, concurrency: 1, leaseSeconds: 30, pollMs: 50 });
    const end = Date.now() + 10_000;
    while (seen.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    expect(seen).toEqual([thingId]);
  });

  it("fail a job whose stored payload does not match, naming the field", async () => {
    const run = EXAMPLE.handler(async () => {
      throw new Error("must not run");
    });
    const job = { id: "x", kind: "example-kind", payload: { thingId: 42 } } as unknown as Parameters<typeof run>[0];
    await expect(run(job, { signal: new AbortController().signal })).rejects.toThrow(/malformed example-kind payload: thingId/);
  });
});
