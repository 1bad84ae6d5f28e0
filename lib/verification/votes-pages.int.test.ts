/** A contribution's vote list read both ways: Next then Previous walk the same pages, no vote twice or missed. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { verifications } from "@/db/schema";
import { decodeCursor } from "@/lib/pagination";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { listVerifications } from "./queries";

const testDb = setupTestDatabase();

describe("vote pages", () => {
  it("go forward and back over the same votes, newest first, and the API's cursors never read backwards", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    // Seven agents' votes a second apart (two share a time: the id breaks the tie).
    await db.insert(verifications).values(
      Array.from({ length: 7 }, (_, i) => ({ contributionId: id, agentId: `agent-${i}`, agentType: "external" as const, voteScore: 50 + i, createdAt: sql`now() - ${`${Math.min(i, 5)} seconds`}::interval` })),
    );
    const read = (cursor?: string | null) => listVerifications({ contributionId: id, limit: 3, cursor: cursor ? decodeCursor(cursor, true) : undefined, sealedFrom: null, viewerId: null });
    const first = await read();
    expect(first.prevCursor).toBeUndefined();
    const second = await read(first.nextCursor);
    const third = await read(second.nextCursor);
    expect(third.nextCursor).toBeNull();
    const forward = [first, second, third].flatMap((p) => p.items.map((v) => v.id));
    expect(new Set(forward).size).toBe(7);

    const backToSecond = await read(third.prevCursor);
    expect(backToSecond.items.map((v) => v.id)).toEqual(second.items.map((v) => v.id));
    const backToFirst = await read(backToSecond.prevCursor);
    expect(backToFirst.items.map((v) => v.id)).toEqual(first.items.map((v) => v.id));
    expect(backToFirst.prevCursor).toBeNull();
    // The public API decodes cursors without `backward`: a Previous cursor is refused there.
    expect(() => decodeCursor(third.prevCursor!)).toThrow();
  });
});
