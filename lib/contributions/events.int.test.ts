import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as eventsRoute } from "@/app/api/v1/contributions/[id]/events/route";
import { contributions } from "@/db/schema";
import { publishContributionEvent } from "@/lib/events/bus";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { readEvents } from "@/test/sse";
import { TEST_ORIGIN } from "@/test/siwe";

const testDb = setupTestDatabase();
let id = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  id = await insertContribution(db, (await insertUser(db)).id);
});

describe("live status (SSE)", () => {
  it("sends the current state, then each committed change", async () => {
    const controller = new AbortController();
    const res = await eventsRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions/${id}/events`, { signal: controller.signal }), {
      params: Promise.resolve({ id }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = await readEvents(res, 3, async () => {
      const { db } = testDb.handle;
      await db.transaction(async (tx) => {
        await tx.update(contributions).set({ status: "verifying" }).where(eq(contributions.id, id));
        await publishContributionEvent(tx, { id, status: "verifying", qualityScore: null, verificationCount: 1, at: new Date().toISOString() });
      });
      // A rolled-back change is never announced.
      await db
        .transaction(async (tx) => {
          await publishContributionEvent(tx, { id, status: "rejected", qualityScore: 1, verificationCount: 9, at: new Date().toISOString() });
          throw new Error("rollback");
        })
        .catch(() => {});
      await db.transaction(async (tx) => {
        await publishContributionEvent(tx, { id, status: "verified", qualityScore: 88, verificationCount: 3, at: new Date().toISOString() });
      });
    });
    controller.abort();
    expect(events.map((e) => e.status)).toEqual(["pending", "verifying", "verified"]);
    expect(events[2]!.qualityScore).toBe(88);
  });

  it("404 for an unknown contribution", async () => {
    const res = await eventsRoute(new Request(`${TEST_ORIGIN}/x`), { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) });
    expect(res.status).toBe(404);
  });
});
