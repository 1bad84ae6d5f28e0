import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { assignments, contributions, users } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { claimNext, liveAssignments, skipAssignment } from "./assignments";
import { castVote } from "./consensus";

const testDb = setupTestDatabase();
const human = (userId: string) => ({ kind: "human" as const, userId });
const voteOn = (contributionId: string, userId: string, score = 80) => castVote({ contributionId, voter: human(userId), voteScore: score, subScores: {}, reasoning: "reviewed" });

/** The claimed assignment, or null. */
const claim = async (verifierId: string) => (await claimNext(verifierId)).assignment;

/** The file shares one database: earlier tests' open work would be drawn too. */
async function closeEverything() {
  await testDb.handle.db.execute(sql`UPDATE contributions SET status = 'rejected', decided_at = now() WHERE status IN ('pending', 'verifying')`);
}

async function liveOn(contributionId: string) {
  return testDb.handle.db.$count(assignments, and(eq(assignments.contributionId, contributionId), eq(assignments.status, "live")));
}

describe("assignments", () => {
  it("refuses a vote without a live assignment, and takes one with it", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    const v = await insertUser(db, ["verifier"]);
    await expect(voteOn(id, v.id)).rejects.toBeInstanceOf(ForbiddenError);
    const claimed = await claim(v.id);
    expect(claimed?.contributionId).toBe(id);
    await voteOn(id, v.id);
    const [a] = await db.select().from(assignments).where(eq(assignments.id, claimed!.id));
    expect(a).toMatchObject({ status: "voted" });
    // Agents vote without one.
    await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 70, subScores: {}, reasoning: "ai" });
    await castVote({ contributionId: id, voter: { kind: "key", userId: (await insertUser(db, ["agent"])).id, keyId: "k", agent: true }, voteScore: 70, subScores: {}, reasoning: "agent key" });
  });

  it("never offers your own work, work you voted on or skipped, and holds at most MAX_OPEN_ASSIGNMENTS", async () => {
    const { db } = testDb.handle;
    const me = await insertUser(db, ["verifier"]);
    const other = await insertUser(db);
    const mine = await insertContribution(db, me.id);
    const theirs = await Promise.all(Array.from({ length: 5 }, () => insertContribution(db, other.id)));
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await claim(me.id))!.contributionId);
    expect(new Set(got).size).toBe(3);
    expect(got).not.toContain(mine);
    expect(await claimNext(me.id)).toEqual({ assignment: null, full: true });
    expect((await liveAssignments(me.id)).map((a) => a.contributionId).sort()).toEqual([...got].sort());
    // Skip one: a fourth is offered, never the skipped one again.
    const held = await liveAssignments(me.id);
    await skipAssignment(me.id, held[0]!.id);
    const next = (await claim(me.id))!.contributionId;
    expect(next).not.toBe(held[0]!.contributionId);
    expect(theirs).toContain(next);
  });

  it("returns an expired assignment to the pool, and a vote on it is refused", async () => {
    const { db } = testDb.handle;
    await closeEverything();
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    const slow = await insertUser(db, ["verifier"]);
    const claimed = (await claim(slow.id))!;
    expect(claimed.contributionId).toBe(id);
    await db.update(assignments).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(assignments.id, claimed.id));
    await expect(voteOn(id, slow.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await liveAssignments(slow.id)).toEqual([]);
    // Someone else can have it; the slow verifier can claim it again once theirs is marked expired.
    expect((await claim((await insertUser(db, ["verifier"])).id))?.contributionId).toBe(id);
    expect((await claim(slow.id))?.contributionId).toBe(id);
    const rows = await db.select({ status: assignments.status }).from(assignments).where(eq(assignments.verifierId, slow.id));
    expect(rows.map((r) => r.status).sort()).toEqual(["expired", "live"]);
  });

  it("hands a contribution out only while it needs reviewers: votes and weight in, plus live assignments and their weights", async () => {
    const { db } = testDb.handle;
    await closeEverything();
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    // The AI's vote (0.5) is in: two new verifiers (1 each) make 3 votes and 2.5 of weight.
    await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 70, subScores: {}, reasoning: "ai" });
    const vs = await Promise.all(Array.from({ length: 4 }, () => insertUser(db, ["verifier"])));
    const claims = [];
    for (const v of vs) claims.push(await claim(v.id));
    expect(claims.filter(Boolean)).toHaveLength(2);
    // A light verifier (weight 0.2) counts for less: the contribution stays assignable after them.
    await closeEverything();
    const second = await insertContribution(db, owner.id);
    const light = await insertUser(db, ["verifier"]);
    await db.update(users).set({ voteWeight: 0.2 }).where(eq(users.id, light.id));
    await castVote({ contributionId: second, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 70, subScores: {}, reasoning: "ai" });
    expect((await claim(light.id))?.contributionId).toBe(second);
    const more = await Promise.all(Array.from({ length: 3 }, () => insertUser(db, ["verifier"])));
    const got = [];
    for (const v of more) got.push((await claim(v.id))?.contributionId);
    // 0.5 + 0.2 + 1 + 1 = 2.7 ≥ 2.5 and 4 votes ≥ 3: two more, then none.
    expect(got.filter((c) => c === second)).toHaveLength(2);
    expect(await liveOn(second)).toBe(3);
  });
});

describe("assignments under concurrency", () => {
  it("one verifier claiming many times at once still holds at most MAX_OPEN_ASSIGNMENTS", async () => {
    const { db } = testDb.handle;
    await closeEverything();
    const owner = await insertUser(db);
    await Promise.all(Array.from({ length: 8 }, () => insertContribution(db, owner.id)));
    const me = await insertUser(db, ["verifier"]);
    const results = await Promise.all(Array.from({ length: 10 }, () => claimNext(me.id)));
    expect(results.filter((r) => r.assignment)).toHaveLength(3);
    expect(results.filter((r) => r.full)).toHaveLength(7);
    expect(await db.$count(assignments, and(eq(assignments.verifierId, me.id), eq(assignments.status, "live")))).toBe(3);
  });

  it("30 verifiers claiming at once never over-assign a contribution", async () => {
    const { db } = testDb.handle;
    await closeEverything();
    const owner = await insertUser(db);
    const ids = await Promise.all(Array.from({ length: 4 }, () => insertContribution(db, owner.id)));
    const vs = await Promise.all(Array.from({ length: 30 }, () => insertUser(db, ["verifier"])));
    const results = await Promise.all(vs.map((v) => claim(v.id)));
    const assigned = results.filter(Boolean);
    // Each contribution needs 3 reviewers (3 votes; 3 of weight ≥ 2.5): 12 assignments in all, no more.
    expect(assigned).toHaveLength(12);
    for (const id of ids) expect(await liveOn(id)).toBe(3);
    expect(await db.$count(contributions, eq(contributions.userId, owner.id))).toBe(4);
  });
});
