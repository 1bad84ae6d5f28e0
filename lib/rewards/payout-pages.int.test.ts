import { describe, expect, it } from "vitest";

import { payoutBatches } from "@/db/schema";
import { decodeCursor } from "@/lib/pagination";
import { setupTestDatabase } from "@/test/db";

import { listPayoutBatches } from "./payout";

const testDb = setupTestDatabase();

describe("payout batches on /admin", () => {
  it("page newest first both ways with no duplicate or gap", async () => {
    for (let i = 0; i < 5; i++) await testDb.handle.db.insert(payoutBatches).values({});
    const all = (await listPayoutBatches({ limit: 100 })).items.map((b) => b.id);
    expect(all).toHaveLength(5);
    const first = await listPayoutBatches({ limit: 2 });
    const second = await listPayoutBatches({ limit: 2, cursor: decodeCursor(first.nextCursor) });
    const third = await listPayoutBatches({ limit: 2, cursor: decodeCursor(second.nextCursor) });
    expect([first, second, third].flatMap((p) => p.items.map((b) => b.id))).toEqual(all);
    const back = await listPayoutBatches({ limit: 2, cursor: decodeCursor(third.prevCursor, true) });
    expect(back.items.map((b) => b.id)).toEqual(second.items.map((b) => b.id));
    expect((await listPayoutBatches({ limit: 2, cursor: decodeCursor(back.prevCursor, true) })).prevCursor).toBeNull();
  });
});
