import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditLog, contributions, rewards, users, verifications } from "@/db/schema";
import { CREATE_ACTION } from "@/lib/audit/queries";
import { getContribution, listContributions } from "@/lib/contributions/queries";
import { ANONYMOUS } from "@/lib/contributions/visibility";
import { getUserStats } from "@/lib/users/stats";
import { ConflictError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { assignedVote } from "@/test/votes";

import { claimNext, skipAssignment } from "./assignments";
import { calibrationItemList, calibrationRecords, markCalibration, runCalibrationBatch, type CalibrationAnswer } from "./calibration";
import { castVote } from "./consensus";
import { votesFor } from "./queries";

const testDb = setupTestDatabase();
const verifiers = async (n: number) => Promise.all(Array.from({ length: n }, () => insertUser(testDb.handle.db, ["verifier"])));
const human = (contributionId: string, userId: string, voteScore: number) => castVote({ contributionId, voter: { kind: "human", userId }, voteScore, subScores: {}, reasoning: "looked at it carefully" });
const ageVotes = (contributionId: string) => testDb.handle.db.update(verifications).set({ createdAt: sql`now() - interval '3 days'` }).where(eq(verifications.contributionId, contributionId));
const assigned = (contributionId: string, userId: string, voteScore: number) => assignedVote({ contributionId, userId, voteScore, subScores: {}, reasoning: "looked at it carefully" });
async function recordOf(u: { id: string }) {
  const [row] = await testDb.handle.db.select({ a: users.address }).from(users).where(eq(users.id, u.id));
  return (await calibrationRecords()).find((r) => r.address.toLowerCase() === row!.a);
}
const weightOf = async (id: string) => (await testDb.handle.db.select({ w: users.voteWeight }).from(users).where(eq(users.id, id)))[0]!.w;

async function calibrationItem(answer: CalibrationAnswer = { knownVerdict: "verified", scoreMin: 80, scoreMax: 90 }) {
  const { db } = testDb.handle;
  const admin = await insertUser(db, ["admin"]);
  const uploader = await insertUser(db);
  const id = await insertContribution(db, uploader.id, { title: `known ${Math.random()}` });
  await markCalibration({ actorId: admin.id, contributionId: id, ...answer });
  return { admin, uploader, id };
}

describe("calibration items", () => {
  it("belong to the platform account, leave every list, are assigned like work and never decide or pay", async () => {
    const { db } = testDb.handle;
    const { admin, uploader, id } = await calibrationItem();
    const [c] = await db.select({ owner: contributions.userId, calibration: contributions.calibration }).from(contributions).where(eq(contributions.id, id));
    const [platform] = await db.select({ id: users.id }).from(users).where(eq(users.platform, true));
    expect(c).toEqual({ owner: platform!.id, calibration: true });
    expect(c!.owner).not.toBe(uploader.id);
    const listed = await listContributions({ limit: 100 }, ANONYMOUS);
    expect(listed.items.map((i) => i.id)).not.toContain(id);
    const platformAddress = (await db.select({ a: users.address }).from(users).where(eq(users.id, platform!.id)))[0]!.a;
    expect((await listContributions({ limit: 100, owner: platformAddress }, ANONYMOUS)).items).toEqual([]);
    // Nor counted in the platform account's public stats (a pending count there would tell).
    expect((await getUserStats(platformAddress)).contributions).toMatchObject({ total: 0, pending: 0 });
    // The marking is audited, but not on the contribution's own timeline.
    expect(await db.$count(auditLog, and(eq(auditLog.entityType, "calibration_item"), eq(auditLog.entityId, id)))).toBe(1);
    expect(await db.$count(auditLog, and(eq(auditLog.entityType, "contribution"), eq(auditLog.entityId, id), eq(auditLog.action, "calibration.mark")))).toBe(0);

    // Assigned until CALIBRATION_VOTES (10) votes, then no more; never decided, never paid.
    const pool = await verifiers(11);
    for (const v of pool.slice(0, 10)) {
      expect((await claimNext(v.id)).assignment?.contributionId).toBe(id);
      expect(await human(id, v.id, 85)).toMatchObject({ decided: false, status: "verifying", qualityScore: null });
    }
    expect((await claimNext(pool[10]!.id)).assignment).toBeNull();
    expect(await db.$count(rewards, eq(rewards.contributionId, id))).toBe(0);

    // Sealed to everyone, its votes revealed to admins only.
    const detail = await getContribution(id, ANONYMOUS);
    expect((await votesFor(detail, ANONYMOUS, { limit: 20 })).items.every((v) => v.sealed && !("vote_score" in v))).toBe(true);
    const asVerifier = async () => ({ userId: pool[0]!.id, roles: ["verifier"] as const });
    expect((await votesFor(detail, asVerifier, { limit: 20 })).items.filter((v) => "vote_score" in v)).toHaveLength(1);
    const asAdmin = async () => ({ userId: admin.id, roles: ["admin"] as const });
    expect((await votesFor(detail, asAdmin, { limit: 20 })).items.filter((v) => "vote_score" in v)).toHaveLength(10);
    expect((await calibrationItemList()).find((i) => i.contributionId === id)).toMatchObject({ knownVerdict: "verified", scoreMin: 80, scoreMax: 90, votes: 10, scored: 0 });
  });

  it("are scored by the daily batch only once a day old, feeding the verifier's record and weight", async () => {
    const { id } = await calibrationItem({ knownVerdict: "rejected", scoreMin: 20, scoreMax: 40 });
    const [good, bad] = await verifiers(2);
    await assigned(id, good!.id, 30);
    await assigned(id, bad!.id, 75);
    // Cast just now: today's batch leaves them alone (scoring now would tell them it was a test).
    expect((await runCalibrationBatch()).scored).toBe(0);
    await ageVotes(id);
    const batch = await runCalibrationBatch();
    expect(batch.scored).toBe(2);
    expect((await runCalibrationBatch()).scored).toBe(0); // idempotent
    expect(await recordOf(good!)).toMatchObject({ seen: 1, agreement: 1, meanAbsoluteError: 0, belowFloor: false });
    expect(await recordOf(bad!)).toMatchObject({ seen: 1, agreement: 0, meanAbsoluteError: 35, belowFloor: false });
    expect(await weightOf(good!.id)).toBeGreaterThan(await weightOf(bad!.id));
  });

  it("weighs a verifier 0 below the floor (5 of the last 10 seen at least) and alerts the admins once", async () => {
    const { db } = testDb.handle;
    const [v] = await verifiers(1);
    for (let i = 0; i < 5; i++) {
      const { id } = await calibrationItem({ knownVerdict: "verified", scoreMin: 75, scoreMax: 95 });
      await assigned(id, v!.id, 10);
      await ageVotes(id);
    }
    const batch = await runCalibrationBatch();
    expect(batch.fellBelowFloor).toBe(1);
    expect(await weightOf(v!.id)).toBe(0);
    expect(await db.$count(auditLog, and(eq(auditLog.entityId, v!.id), eq(auditLog.action, "calibration.below_floor")))).toBe(1);
    expect(await recordOf(v!)).toMatchObject({ seen: 5, agreement: 0, meanAbsoluteError: 65, belowFloor: true, weight: 0 });
  });

  it("are never assigned to their uploader (the owner is the platform account now; the upload's audit entry still names them)", async () => {
    const { db } = testDb.handle;
    const admin = await insertUser(db, ["admin"]);
    const uploader = await insertUser(db, ["contributor", "verifier"]);
    const id = await insertContribution(db, uploader.id, { title: `known ${Math.random()}` });
    await db.insert(auditLog).values({ actorId: uploader.id, entityType: "contribution", entityId: id, action: CREATE_ACTION, toStatus: "pending" });
    await markCalibration({ actorId: admin.id, contributionId: id, knownVerdict: "verified", scoreMin: 80, scoreMax: 90 });
    // Other tests' items are open too: take and skip until the pool runs dry, or this item comes up.
    async function offered(userId: string): Promise<string[]> {
      const seen: string[] = [];
      for (let a = (await claimNext(userId)).assignment; a && !seen.includes(id); a = (await claimNext(userId)).assignment) {
        seen.push(a.contributionId);
        await skipAssignment(userId, a.id);
      }
      return seen;
    }
    expect(await offered(uploader.id)).not.toContain(id);
    const [other] = await verifiers(1);
    expect(await offered(other!.id)).toContain(id);
  });

  it("can only be made of open work, once", async () => {
    const { db } = testDb.handle;
    const { admin, id } = await calibrationItem();
    await expect(markCalibration({ actorId: admin.id, contributionId: id, knownVerdict: "verified", scoreMin: 1, scoreMax: 2 })).rejects.toThrow(ConflictError);
    const owner = await insertUser(db);
    const decided = await insertContribution(db, owner.id, { status: "verified", decidedAt: new Date() });
    await expect(markCalibration({ actorId: admin.id, contributionId: decided, knownVerdict: "verified", scoreMin: 1, scoreMax: 2 })).rejects.toThrow(/still being verified/);
    const open = await insertContribution(db, owner.id);
    await expect(markCalibration({ actorId: admin.id, contributionId: open, knownVerdict: "verified", scoreMin: 60, scoreMax: 50 })).rejects.toThrow();
  });
});
