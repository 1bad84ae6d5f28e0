import { beforeAll, describe, expect, it } from "vitest";

import { rewards } from "@/db/schema";
import { decodeCursor } from "@/lib/pagination";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { getUserRewards } from "./stats";

const testDb = setupTestDatabase();
let address = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  address = owner.address;
  for (let i = 0; i < 5; i++) {
    const contributionId = await insertContribution(db, owner.id, { title: `Paid ${i}` });
    await db.insert(rewards).values({ contributionId, userId: owner.id, amount: "1", status: i < 3 ? "pending" : "distributed" });
  }
});

describe("a wallet's rewards", () => {
  it("page newest first both ways, with the filter's count", async () => {
    const all = await getUserRewards({ address, limit: 100 });
    expect(all.count).toBe(5);
    expect((await getUserRewards({ address, status: "pending", limit: 100 })).count).toBe(3);
    const ids = all.page.items.map((r) => r.id);
    const first = await getUserRewards({ address, limit: 2 });
    const second = await getUserRewards({ address, limit: 2, cursor: decodeCursor(first.page.nextCursor) });
    const third = await getUserRewards({ address, limit: 2, cursor: decodeCursor(second.page.nextCursor) });
    expect([first, second, third].flatMap((p) => p.page.items.map((r) => r.id))).toEqual(ids);
    const back = await getUserRewards({ address, limit: 2, cursor: decodeCursor(third.page.prevCursor, true) });
    expect(back.page.items.map((r) => r.id)).toEqual(second.page.items.map((r) => r.id));
    const start = await getUserRewards({ address, limit: 2, cursor: decodeCursor(back.page.prevCursor, true) });
    expect(start.page.items.map((r) => r.id)).toEqual(first.page.items.map((r) => r.id));
    expect(start.page.prevCursor).toBeNull();
  });
});
