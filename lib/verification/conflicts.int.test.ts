import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { verifications } from "@/db/schema";
import { COLLUSION_HIGH_VOTE, COLLUSION_MIN_EACH_WAY } from "@/db/vocabulary";
import { checksum } from "@/lib/checksum";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { claimNext } from "./assignments";
import { flaggedPairs, ringsOf } from "./conflicts";

const testDb = setupTestDatabase();

/** `voter` gave `n` revealed votes of `score` to decided work of `owner`. */
async function gave(voter: { id: string }, owner: { id: string }, n: number, score: number) {
  const { db } = testDb.handle;
  for (let i = 0; i < n; i++) {
    const id = await insertContribution(db, owner.id, { status: "verified", decidedAt: new Date() });
    await db.insert(verifications).values({ contributionId: id, verifierId: voter.id, agentType: "human", voteScore: score });
  }
}

describe("conflicts of interest", () => {
  it("never assigns the work of someone you exchanged high votes with; others still get it", async () => {
    const { db } = testDb.handle;
    const [a, b, c] = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    // One way is not enough, nor fewer than the minimum back.
    await gave(a, b, COLLUSION_MIN_EACH_WAY, 95);
    await gave(b, a, COLLUSION_MIN_EACH_WAY - 1, 95);
    const open = await insertContribution(db, b.id, { title: "b's new work" });
    const first = await claimNext(a.id);
    expect(first.assignment?.contributionId).toBe(open);
    await db.execute(sql`UPDATE assignments SET status = 'skipped' WHERE verifier_id = ${a.id}`);
    // Reciprocal, but low votes: not a signal.
    await gave(b, a, 1, COLLUSION_HIGH_VOTE - 1);
    const fresh = await insertContribution(db, b.id, { title: "b's next work" });
    expect((await claimNext(a.id)).assignment?.contributionId).toBe(fresh);
    await db.execute(sql`UPDATE assignments SET status = 'skipped' WHERE verifier_id = ${a.id}`);
    // Now b gives a's work a second high vote: the pair is linked.
    await gave(b, a, 1, COLLUSION_HIGH_VOTE);
    const third = await insertContribution(db, b.id, { title: "b's third work" });
    expect((await claimNext(a.id)).assignment).toBeNull();
    // Someone unlinked is still offered b's work.
    const forC = (await claimNext(c.id)).assignment;
    expect([open, fresh, third]).toContain(forC?.contributionId);
    const pairs = await flaggedPairs();
    expect(pairs).toHaveLength(1);
    const [pair] = pairs;
    expect(new Set([pair!.a, pair!.b])).toEqual(new Set([checksum((await addressOf(a.id))!), checksum((await addressOf(b.id))!)]));
    expect(pair!.aToB + pair!.bToA).toBe(2 * COLLUSION_MIN_EACH_WAY);
  });

  it("groups flagged pairs into rings of three or more", () => {
    const pair = (a: string, b: string) => ({ a, b, aToB: 2, bToA: 2, meanAToB: 95, meanBToA: 95 });
    expect(ringsOf([pair("0xA", "0xB"), pair("0xB", "0xC"), pair("0xD", "0xE")])).toEqual([["0xA", "0xB", "0xC"]]);
    expect(ringsOf([pair("0xA", "0xB")])).toEqual([]);
  });
});

async function addressOf(id: string): Promise<string | undefined> {
  const rows = await testDb.handle.db.execute(sql`SELECT address FROM users WHERE id = ${id}`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { address: string }[] }).rows) as { address: string }[];
  return list[0]?.address;
}
