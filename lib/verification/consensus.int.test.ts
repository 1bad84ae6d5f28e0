import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditLog, contributions, rewards, users, verifications } from "@/db/schema";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";

import { castVote, REPUTATION } from "./consensus";

const testDb = setupTestDatabase();
const human = (userId: string) => ({ kind: "human" as const, userId });
const vote = (contributionId: string, userId: string, voteScore: number) =>
  castVote({ contributionId, voter: human(userId), voteScore, subScores: { quality: voteScore }, reasoning: "looked at it" });

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
    expect(voters[0]!.r).toBeCloseTo(REPUTATION.verifierAgrees);
    const log = await db.select({ to: auditLog.toStatus }).from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.createdAt);
    expect(log.map((l) => l.to)).toEqual(["verifying", "verified"]);
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
    expect(dissenter!.r).toBe(0); // floored at 0 after −0.2
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

describe("consensus under concurrency", () => {
  it("20 verifiers casting deciding votes at once → one decision, one reward, a consistent count", async () => {
    const { db } = testDb.handle;
    const { id } = await setup();
    const voters = await Promise.all(Array.from({ length: 20 }, () => insertUser(db, ["verifier"])));
    const results = await Promise.allSettled(voters.map((v) => vote(id, v.id, 85)));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof vote>>>).value);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(3);
    expect(ok.filter((r) => r.decided)).toHaveLength(1);
    expect(refused).toHaveLength(17);
    expect(refused.every((e) => e instanceof ConflictError && /already verified/.test(e.message))).toBe(true);
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
