import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { appeals, auditLog, contributions, rewards, users, verifications } from "@/db/schema";
import { ANONYMOUS } from "@/lib/contributions/visibility";
import { getContribution } from "@/lib/contributions/queries";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { assignedVote } from "@/test/votes";

import { appealOf, fileAppeal, openAppeals } from "./appeals";
import { claimNext } from "./assignments";
import { castVote } from "./consensus";
import { moderate } from "./moderation";
import { votesFor } from "./queries";
import { REPUTATION } from "./settle";
import { reputationDelta } from "./weights";

const testDb = setupTestDatabase();
const vote = (contributionId: string, userId: string, voteScore: number) =>
  assignedVote({ contributionId, userId, voteScore, subScores: { quality: voteScore }, reasoning: "looked at it carefully" });
const verifiers = async (n: number) => Promise.all(Array.from({ length: n }, () => insertUser(testDb.handle.db, ["verifier"])));

/** A contribution rejected by three first-round voters (scores 30, 40, 50: final 40). */
async function rejected() {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  const id = await insertContribution(db, owner.id, { fileType: "code" });
  const first = await verifiers(3);
  for (const [i, v] of first.entries()) await vote(id, v.id, 30 + 10 * i);
  const [c] = await db.select({ status: contributions.status, score: contributions.qualityScore }).from(contributions).where(eq(contributions.id, id));
  expect(c).toEqual({ status: "rejected", score: 40 });
  return { owner, id, first };
}

const reputation = async (id: string) => (await testDb.handle.db.select({ r: users.reputation }).from(users).where(eq(users.id, id)))[0]!.r;
const statement = "The tests cover every branch; the first reviewers missed the test folder.";

describe("appeals", () => {
  it("overturned by a fresh panel: verified, one reward, the penalty given back, the first round re-scored", async () => {
    const { db } = testDb.handle;
    const { owner, id, first } = await rejected();
    expect(await reputation(owner.id)).toBe(0); // −0.5 from 0, floored: nothing was taken
    const firstRep = await reputation(first[0]!.id);
    const appeal = await fileAppeal({ contributionId: id, userId: owner.id, statement });
    expect(appeal).toMatchObject({ status: "open", statement, first_score: 40, decided_at: null });
    const reopened = await getContribution(id, ANONYMOUS);
    expect(reopened).toMatchObject({ status: "appealed", quality_score: null, decided_at: null });

    // The first round's voters are not on the panel; a fresh verifier's draw finds it.
    for (const v of first) expect((await claimNext(v.id)).assignment).toBeNull();
    const panel = await verifiers(3);
    const results = [];
    for (const [i, v] of panel.entries()) {
      const claimed = await claimNext(v.id);
      expect(claimed.assignment?.contributionId).toBe(id);
      // While the panel votes, round 1 stays revealed and round 2 is sealed.
      results.push(await castVote({ contributionId: id, voter: { kind: "human", userId: v.id }, voteScore: 80 + 5 * i, subScores: {}, reasoning: "tests are thorough" }));
      if (i === 0) {
        const seen = await votesFor(await getContribution(id, ANONYMOUS), ANONYMOUS, { limit: 10 });
        expect(seen.items.filter((v) => v.sealed)).toHaveLength(1);
        expect(seen.items.filter((v) => !v.sealed && "vote_score" in v)).toHaveLength(3);
      }
    }
    expect(results.map((r) => r.decided)).toEqual([false, false, true]);
    expect(results[2]).toMatchObject({ status: "verified", qualityScore: 85, verificationCount: 6 });
    // A fourth verifier finds nothing to do: the panel is full.
    expect((await claimNext((await verifiers(1))[0]!.id)).assignment).toBeNull();

    const rs = await db.select().from(rewards).where(eq(rewards.contributionId, id));
    expect(rs).toHaveLength(1);
    expect(rs[0]!.userId).toBe(owner.id);
    // As if verified outright: the rejection took nothing (floored at 0), so +1 exactly.
    expect(await reputation(owner.id)).toBe(REPUTATION.contributorVerified);
    expect((await appealOf(id))!.status).toBe("overturned");
    const detail = await getContribution(id, ANONYMOUS);
    expect(detail).toMatchObject({ status: "verified", quality_score: 85, decision: { round: 2, score: 85 } });
    // The first round's 30 was scored against 40; now against 85.
    expect(await reputation(first[0]!.id)).toBeCloseTo(Math.max(0, firstRep + reputationDelta(30, 85) - reputationDelta(30, 40)), 5);
    const timeline = await db.select({ action: auditLog.action, to: auditLog.toStatus, reason: auditLog.reason }).from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.createdAt);
    expect(timeline.find((t) => t.action === "contribution.appeal")).toMatchObject({ to: "appealed", reason: statement });
    expect(timeline.at(-1)).toMatchObject({ action: "contribution.decide", to: "verified" });
    expect(timeline.at(-1)!.reason).toMatch(/^appeal overturned: /);
  });

  it("gives back exactly what the rejection took from a contributor with reputation", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    await db.update(users).set({ reputation: 2 }).where(eq(users.id, owner.id));
    const id = await insertContribution(db, owner.id, { fileType: "dataset" });
    for (const v of await verifiers(3)) await vote(id, v.id, 20);
    expect(await reputation(owner.id)).toBe(1.5);
    await fileAppeal({ contributionId: id, userId: owner.id, statement });
    for (const v of await verifiers(3)) await vote(id, v.id, 90);
    expect(await reputation(owner.id)).toBe(2 + REPUTATION.contributorVerified);
  });

  it("upheld: rejected for good, 'appeal upheld' on the timeline, no reward, no second appeal", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await rejected();
    await fileAppeal({ contributionId: id, userId: owner.id, statement });
    let last;
    for (const v of await verifiers(3)) last = await vote(id, v.id, 35);
    expect(last).toMatchObject({ status: "rejected", decided: true, qualityScore: 35 });
    expect(await db.select().from(rewards).where(eq(rewards.contributionId, id))).toEqual([]);
    expect((await appealOf(id))!.status).toBe("upheld");
    const [decide] = await db.select({ reason: auditLog.reason }).from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, "contribution.decide"), sql`${auditLog.reason} LIKE 'appeal%'`));
    expect(decide!.reason).toMatch(/^appeal upheld: /);
    await expect(fileAppeal({ contributionId: id, userId: owner.id, statement })).rejects.toThrow(ConflictError);
  });

  it("makes one appeal of a double submit", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await rejected();
    const both = await Promise.allSettled([fileAppeal({ contributionId: id, userId: owner.id, statement }), fileAppeal({ contributionId: id, userId: owner.id, statement })]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await db.$count(appeals, eq(appeals.contributionId, id))).toBe(1);
    expect(await db.$count(auditLog, and(eq(auditLog.entityId, id), eq(auditLog.action, "contribution.appeal")))).toBe(1);
  });

  it("refuses others, halted work, open work, the wrong length and a late appeal", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await rejected();
    const other = await insertUser(db);
    await expect(fileAppeal({ contributionId: id, userId: other.id, statement })).rejects.toThrow(ForbiddenError);
    await expect(fileAppeal({ contributionId: id, userId: owner.id, statement: "   " })).rejects.toThrow();
    await expect(fileAppeal({ contributionId: id, userId: owner.id, statement: "x".repeat(2001) })).rejects.toThrow();
    const open = await insertContribution(db, owner.id);
    await expect(fileAppeal({ contributionId: open, userId: owner.id, statement })).rejects.toThrow(/Only a rejected contribution/);

    const admin = await insertUser(db, ["admin"]);
    await moderate({ actorId: admin.id, contributionId: id, action: "halt", reason: "copyright claim" });
    await expect(fileAppeal({ contributionId: id, userId: owner.id, statement })).rejects.toThrow(/halted/);
    // Not confirmed to exist to anyone else while withheld.
    await expect(fileAppeal({ contributionId: id, userId: other.id, statement })).rejects.toThrow(NotFoundError);

    const late = await rejected();
    await db.update(contributions).set({ decidedAt: sql`now() - interval '8 days'` }).where(eq(contributions.id, late.id));
    await expect(fileAppeal({ contributionId: late.id, userId: late.owner.id, statement })).rejects.toThrow(/appeal window closed/);
  });

  it("keeps agents out of the panel and waits, visible to admins, while no fresh panel exists", async () => {
    const { owner, id } = await rejected();
    // Nobody else can sit on the panel: every other verifier of this database is deactivated.
    await testDb.handle.db.update(users).set({ isActive: false }).where(sql`'verifier' = ANY(${users.roles})`);
    await fileAppeal({ contributionId: id, userId: owner.id, statement });
    await expect(castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 90, subScores: {}, reasoning: "ok" })).rejects.toThrow(ForbiddenError);
    const waiting = (await openAppeals()).find((a) => a.contributionId === id)!;
    expect(waiting).toMatchObject({ seatsLeft: 3, eligible: 0, panelVotes: 0 });
    await verifiers(2);
    expect((await openAppeals()).find((a) => a.contributionId === id)).toMatchObject({ seatsLeft: 3, eligible: 2 });
    await verifiers(2);
    expect((await openAppeals()).find((a) => a.contributionId === id)).toMatchObject({ seatsLeft: 3, eligible: 3 });
    expect(await testDb.handle.db.$count(verifications, and(eq(verifications.contributionId, id), eq(verifications.round, 2)))).toBe(0);
  });
});
