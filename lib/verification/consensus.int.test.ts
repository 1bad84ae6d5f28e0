import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditLog, contributions, rewards, users, verifications } from "@/db/schema";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { assignedVote } from "@/test/votes";
import { insertContribution, insertUser } from "@/test/fixtures";

import { castVote } from "./consensus";
import { ballotCommitment } from "./commitment";
import { REPUTATION } from "./settle";
import { reputationDelta } from "./weights";

const testDb = setupTestDatabase();
const vote = (contributionId: string, userId: string, voteScore: number) =>
  assignedVote({ contributionId, userId, voteScore, subScores: { quality: voteScore }, reasoning: "looked at it" });

async function setup(values: Parameters<typeof insertContribution>[2] = {}) {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  const id = await insertContribution(db, owner.id, { fileType: "code", ...values });
  return { owner, id };
}

async function row(id: string) {
  const [c] = await testDb.handle.db.select().from(contributions).where(eq(contributions.id, id));
  return c!;
}

describe("consensus", () => {
  it("moves pending → verifying → verified at the quorum, with one reward by the formula", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await setup();
    const [v1, v2] = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    const agent = await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 80, subScores: {}, reasoning: "ok" });
    expect(agent).toMatchObject({ status: "verifying", verificationCount: 1, decided: false });
    expect((await vote(id, v1.id, 90)).status).toBe("verifying");
    const decided = await vote(id, v2.id, 70);
    expect(decided).toMatchObject({ status: "verified", verificationCount: 3, qualityScore: 80, decided: true });
    const c = await row(id);
    expect(c.status).toBe("verified");
    expect(c.qualityScore).toBe(80);
    expect(c.decidedAt).not.toBeNull();
    const rs = await db.select().from(rewards).where(eq(rewards.contributionId, id));
    expect(rs).toHaveLength(1);
    // 10 × (0.5 + 0.8 × 1.5) × 1.5 × (1 + 0.01 + 0.32 + 0) = 33.915 → 33.92
    expect(rs[0]).toMatchObject({ userId: owner.id, status: "pending", amount: "33.920000000000000000" });
    const [o] = await db.select({ r: users.reputation }).from(users).where(eq(users.id, owner.id));
    expect(o!.r).toBe(REPUTATION.contributorVerified);
    const voters = await db.select({ id: users.id, r: users.reputation }).from(users).where(eq(users.id, v1.id));
    expect(voters[0]!.r).toBeCloseTo(reputationDelta(90, 80));
    const log = await db.select({ to: auditLog.toStatus }).from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.createdAt);
    expect(log.map((l) => l.to)).toEqual(["verifying", null, "verified"]);
  });

  it("rejects below the threshold: no reward, reputations move the other way", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await setup();
    const vs = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    await vote(id, vs[0]!.id, 20);
    await vote(id, vs[1]!.id, 30);
    expect((await vote(id, vs[2]!.id, 90)).status).toBe("rejected");
    expect(await db.select().from(rewards).where(eq(rewards.contributionId, id))).toEqual([]);
    const [dissenter] = await db.select({ r: users.reputation }).from(users).where(eq(users.id, vs[2]!.id));
    expect(dissenter!.r).toBe(0); // floored at 0 after −0.2 (clipped to 50, still 50+ points from the final 33.33)
    const [o] = await db.select({ r: users.reputation }).from(users).where(eq(users.id, owner.id));
    expect(o!.r).toBe(0);
  });

  it("a verified duplicate earns nothing", async () => {
    const { db } = testDb.handle;
    const first = await setup();
    const { id } = await setup({ duplicateOf: first.id });
    const vs = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    for (const v of vs) await vote(id, v.id, 95);
    expect((await row(id)).status).toBe("verified");
    expect(await db.select().from(rewards).where(eq(rewards.contributionId, id))).toEqual([]);
  });

  it("refuses your own work, a second vote, and closed contributions", async () => {
    const { db } = testDb.handle;
    const { owner, id } = await setup();
    await expect(vote(id, owner.id, 100)).rejects.toBeInstanceOf(ForbiddenError);
    const v = await insertUser(db, ["verifier"]);
    await vote(id, v.id, 60);
    await expect(vote(id, v.id, 61)).rejects.toThrow(/already voted/);
    const halted = await setup({ status: "halted" });
    await expect(vote(halted.id, v.id, 50)).rejects.toThrow(/halted; votes are closed/);
    const paused = await setup({ status: "paused" });
    await expect(vote(paused.id, v.id, 50)).rejects.toBeInstanceOf(ConflictError);
    const done = await setup({ status: "verified" });
    await expect(vote(done.id, v.id, 50)).rejects.toThrow(/already verified/);
  });
});

describe("sealed, weighted consensus", () => {
  it("keeps the running score sealed, publishes commitments anyone can recompute, and decides on weight", async () => {
    const { db } = testDb.handle;
    const { id } = await setup();
    const agent = (agentId: string, score: number) =>
      castVote({ contributionId: id, voter: { kind: "agent", agentId, agentType: "external" }, voteScore: score, subScores: { quality: score }, reasoning: `${agentId} says ${score}` });
    const first = await agent("a1", 90);
    expect(first).toMatchObject({ qualityScore: null, decided: false });
    await agent("a2", 88);
    const v = await insertUser(db, ["verifier"]);
    // Three votes but 0.5 + 0.5 + 1 = 2 of weight: below MIN_DECISION_WEIGHT (2.5), still open and sealed.
    const third = await vote(id, v.id, 20);
    expect(third).toMatchObject({ status: "verifying", verificationCount: 3, qualityScore: null, decided: false });
    expect((await row(id)).qualityScore).toBeNull();
    expect((await row(id)).decisionWeight).toBeCloseTo(2);
    const v2 = await insertUser(db, ["verifier"]);
    const last = await vote(id, v2.id, 85);
    expect(last).toMatchObject({ status: "verified", decided: true });
    // Weighted median 85 (of 20·1, 85·1, 88·0.5, 90·0.5); the 20 is clipped to 65: (65 + 85 + 44 + 45) / 3 = 79.67.
    expect(last.qualityScore).toBe(79.67);
    const c = await row(id);
    expect(c.decision).toMatchObject({ score: 79.67, median: 85, weight: 3, clipped: 1, threshold: 70 });
    expect((c.decision as { reasons: { score: number }[] }).reasons.map((r) => r.score)).toEqual([20, 85, 88, 90]);

    const stored = await db.select().from(verifications).where(eq(verifications.contributionId, id));
    const [user] = await db.select({ address: users.address }).from(users).where(eq(users.id, v.id));
    for (const b of stored) {
      const voter = b.agentId ? `agent:${b.agentId}` : b.verifierId === v.id ? user!.address : (await db.select({ a: users.address }).from(users).where(eq(users.id, b.verifierId!)))[0]!.a;
      expect(b.salt).toMatch(/^[0-9a-f]{64}$/);
      expect(ballotCommitment({ contributionId: id, voter, voteScore: b.voteScore, subScores: b.subScores, reasoning: b.reasoning, salt: b.salt })).toBe(b.commitment);
    }
    expect(first.commitment).toBe(stored.find((b) => b.agentId === "a1")!.commitment);
  });

  it("moves each verifier's agreement and weight by how close they voted", async () => {
    const { db } = testDb.handle;
    const { id } = await setup();
    const [close, far, mid] = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    await vote(id, close.id, 80);
    await vote(id, far.id, 10);
    await vote(id, mid.id, 90); // final (80 + 60 + 90) / 3 = 76.67: 80 is 3.3 off, 90 is 13.3 off, 10 is 66.7 off
    const rows = await db.select({ id: users.id, agreement: users.agreement, weight: users.voteWeight, scored: users.scoredVotes }).from(users);
    const of = (u: { id: string }) => rows.find((r) => r.id === u.id)!;
    expect(of(close).scored).toBe(1);
    expect(of(close).agreement!).toBeGreaterThan(of(mid).agreement!);
    expect(of(mid).agreement!).toBeGreaterThan(of(far).agreement!);
    expect(of(close).weight).toBeGreaterThan(1);
    expect(of(far).weight).toBe(0);
    // The next vote carries the new weight.
    const next = await setup();
    await vote(next.id, far.id, 50);
    const [b] = await db.select({ weight: verifications.weight }).from(verifications).where(eq(verifications.contributionId, next.id));
    expect(b!.weight).toBe(0);
  });
});

describe("consensus under concurrency", () => {
  it("20 verifiers trying to vote at once → one decision, one reward, a consistent count", async () => {
    const { db } = testDb.handle;
    const { id } = await setup();
    const voters = await Promise.all(Array.from({ length: 20 }, () => insertUser(db, ["verifier"])));
    const results = await Promise.allSettled(voters.map((v) => vote(id, v.id, 85)));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof vote>>>).value);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    // Only as many as the decision needs are assigned (3 votes, 3 of weight); the others are refused.
    expect(ok).toHaveLength(3);
    expect(ok.filter((r) => r.decided)).toHaveLength(1);
    expect(refused).toHaveLength(17);
    expect(refused.every((e) => e instanceof ForbiddenError || (e instanceof ConflictError && /already verified/.test(e.message)))).toBe(true);
    const c = await row(id);
    expect(c.verificationCount).toBe(3);
    expect(await db.$count(verifications, eq(verifications.contributionId, id))).toBe(3);
    expect(await db.$count(rewards, eq(rewards.contributionId, id))).toBe(1);
    const decisions = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(decisions.filter((d) => d.action === "contribution.decide")).toHaveLength(1);
  });

  it("one verifier voting twice at once → one vote", async () => {
    const { db } = testDb.handle;
    const { id } = await setup();
    const v = await insertUser(db, ["verifier"]);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => vote(id, v.id, 77)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.$count(verifications, eq(verifications.contributionId, id))).toBe(1);
    expect((await row(id)).verificationCount).toBe(1);
  });
});
