import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as eventsRoute } from "@/app/api/v1/contributions/[id]/events/route";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { readEvents } from "@/test/sse";
import { TEST_ORIGIN } from "@/test/siwe";

import { CONTRIBUTION_CHANNEL } from "./bus";

// PostgreSQL only: another instance is another connection; PGlite has a single one.
const testDb = setupTestDatabase();
let id = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  id = await insertContribution(db, (await insertUser(db)).id);
});

describe("events across instances", () => {
  it("a change published on another connection reaches this instance's subscribers", async () => {
    const res = await eventsRoute(new Request(`${TEST_ORIGIN}/x`), { params: Promise.resolve({ id }) });
    const other = postgres(process.env.DATABASE_URL!, { max: 1 });
    try {
      const events = await readEvents(res, 2, async () => {
        await other`SELECT pg_notify(${CONTRIBUTION_CHANNEL}, ${JSON.stringify({ id, status: "halted", qualityScore: null, verificationCount: 1, at: "x" })})`;
      });
      expect(events.map((e) => e.status)).toEqual(["pending", "halted"]);
    } finally {
      await other.end();
    }
  });
});
