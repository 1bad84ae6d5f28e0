import { describe, expect, it } from "vitest";

import { ANONYMOUS } from "@/lib/contributions/visibility";
import { insertContribution, insertUser } from "@/test/fixtures";
import { setupTestDatabase } from "@/test/db";

import { contributionFields, contributionSchema } from "./fields";
import { getContribution, listContributions, toApiContribution } from "./queries";

const testDb = setupTestDatabase();

describe("the contribution field table", () => {
  it("gives the raw-SQL list and the drizzle detail the same answer, field for field", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const first = await insertContribution(db, owner.id, { title: "Nulls everywhere" });
    await insertContribution(db, owner.id, {
      title: "Every field set",
      description: "all of them",
      metadata: { rows: 3, nested: { a: [1, 2] } },
      status: "verified",
      qualityScore: 87.25,
      verificationCount: 3,
      duplicateOf: first,
      haltReason: "was paused once",
      decidedAt: new Date("2026-11-30T12:34:56.789Z"),
      sizeBytes: 2 ** 40,
    });
    const page = await listContributions({ owner: owner.address, limit: 10 }, ANONYMOUS);
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      const { reward: _, decision: _decision, appeal: _appeal, api_reads: _reads, ...detail } = toApiContribution(await getContribution(item.id, ANONYMOUS));
      expect(item).toStrictEqual(detail);
      // Exactly the table's fields, each as its schema says (strict: nothing more).
      expect(Object.keys(item)).toEqual(Object.keys(contributionFields));
      expect(contributionSchema.strict().safeParse(item).success).toBe(true);
    }
    expect(page.items[0]).toMatchObject({ size: 2 ** 40, quality_score: 87.25, decided_at: "2026-11-30T12:34:56.789Z", metadata: { rows: 3, nested: { a: [1, 2] } } });
  });
});
