import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as verificationsRoute } from "@/app/api/v1/contributions/[id]/verifications/route";
import { GET as profileRoute } from "@/app/api/v1/users/[address]/route";
import { GET as userContributionsRoute } from "@/app/api/v1/users/[address]/contributions/route";
import { GET as rewardsRoute } from "@/app/api/v1/users/[address]/rewards/route";
import { GET as statsRoute } from "@/app/api/v1/users/[address]/stats/route";
import { POST as agentVoteRoute } from "@/app/api/v1/verifications/route";
import { auditLog, contributions, jobs, rewards, verifications } from "@/db/schema";
import { countStatements } from "@/db/statement-counter";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { assignedVote } from "@/test/votes";
import { insertContribution, insertUser } from "@/test/fixtures";
import { TEST_ORIGIN } from "@/test/siwe";

import { castVote } from "./consensus";
import { moderate } from "./moderation";

const testDb = setupTestDatabase();
const TOKEN = "agent-token-0123456789-0123456789-abcdef";

beforeAll(() => {
  process.env.AGENT_TOKEN = TOKEN;
  resetEnvCache();
  return () => {
    delete process.env.AGENT_TOKEN;
    resetEnvCache();
  };
});

const agentVote = (body: unknown, token = TOKEN) =>
  agentVoteRoute(
    new Request(`${TEST_ORIGIN}/api/v1/verifications`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
    undefined,
  );
const addr = (address: string) => ({ params: Promise.resolve({ address }) });

describe("agent votes over HTTP", () => {
  it("needs the agent token; validates; applies the consensus rules", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    expect((await agentVote({ contribution_id: id, vote_score: 50 }, "wrong-token-wrong-token-wrong-token-xx")).status).toBe(401);
    const bad = await agentVote({ contribution_id: id, vote_score: 101 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors.vote_score).toBeDefined();
    const ok = await agentVote({ contribution_id: id, agent_id: "reviewer-bot", vote_score: 88, sub_scores: { quality: 90 }, reasoning: "solid" });
    expect(ok.status).toBe(201);
    // Sealed: the answer carries no running score, only the ballot's commitment and salt for the voter.
    const answer = await ok.json();
    expect(answer).toMatchObject({ status: "verifying", verification_count: 1, quality_score: null, decided: false });
    expect(answer.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.salt).toMatch(/^[0-9a-f]{64}$/);
    expect((await agentVote({ contribution_id: id, agent_id: "reviewer-bot", vote_score: 10 })).status).toBe(409);
    const [v] = await db.select().from(verifications).where(eq(verifications.contributionId, id));
    expect(v).toMatchObject({ agentId: "reviewer-bot", agentType: "external", verifierId: null });
    expect((await agentVote({ contribution_id: "00000000-0000-4000-8000-000000000000", vote_score: 10 })).status).toBe(404);
  });
});

describe("moderation", () => {
  it("halts, pauses and resumes with audit entries; votes are refused while held; resume restores the status", async () => {
    const { db } = testDb.handle;
    const admin = await insertUser(db, ["admin"]);
    const verifier = await insertUser(db, ["verifier"]);
    const owner = await insertUser(db);
    const id = await insertContribution(db, owner.id);
    await assignedVote({ contributionId: id, userId: verifier.id, voteScore: 60, subScores: {}, reasoning: "first look" });
    expect(await moderate({ actorId: admin.id, contributionId: id, action: "pause", reason: "checking licence" })).toBe("paused");
    const other = await insertUser(db, ["verifier"]);
    await expect(castVote({ contributionId: id, voter: { kind: "human", userId: other.id }, voteScore: 60, subScores: {}, reasoning: "x" })).rejects.toThrow(/paused/);
    expect(await moderate({ actorId: admin.id, contributionId: id, action: "halt", reason: "licence violation" })).toBe("halted");
    await expect(moderate({ actorId: admin.id, contributionId: id, action: "pause", reason: "again" })).rejects.toThrow(/Only contributions being verified/);
    expect(await moderate({ actorId: admin.id, contributionId: id, action: "resume", reason: "licence fixed" })).toBe("verifying");
    const [c] = await db.select().from(contributions).where(eq(contributions.id, id));
    expect(c).toMatchObject({ status: "verifying", haltReason: null, statusBeforeHold: null });
    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.createdAt);
    expect(log.map((l) => [l.action, l.fromStatus, l.toStatus, l.reason?.replace(/[0-9a-f]{64}/, "<commitment>")])).toEqual([
      ["contribution.vote", "pending", "verifying", "ballot <commitment>"],
      ["contribution.pause", "verifying", "paused", "checking licence"],
      ["contribution.halt", "paused", "halted", "licence violation"],
      ["contribution.resume", "halted", "verifying", "licence fixed"],
    ]);
    expect(await db.$count(jobs, eq(jobs.kind, "verify-contribution"))).toBeGreaterThan(0);
  });
});

describe("user stats and rewards", () => {
  it("aggregate in SQL with at most 2 statements each, and match the rows", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const vs = [await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"]), await insertUser(db, ["verifier"])];
    const scores = [[90, 80, 70], [20, 30, 40], [75, 75, 75]];
    const ids: string[] = [];
    for (const [i, s] of scores.entries()) {
      const id = await insertContribution(db, owner.id, { fileType: i === 0 ? "code" : "document" });
      ids.push(id);
      for (const [j, v] of vs.entries()) await assignedVote({ contributionId: id, userId: v.id, voteScore: s[j]!, subScores: {}, reasoning: "x" });
    }
    await insertContribution(db, owner.id); // still pending
    const { count: n, result } = await countStatements(() => statsRoute(new Request(`${TEST_ORIGIN}/x`), addr(owner.address.toUpperCase().replace("0X", "0x"))));
    expect(n).toBeLessThanOrEqual(2);
    const stats = await result.json();
    const amounts = (await db.select({ a: rewards.amount }).from(rewards).where(eq(rewards.userId, owner.id))).map((r) => Number(r.a));
    expect(stats).toMatchObject({
      contributions: { total: 4, verified: 2, rejected: 1, pending: 1, on_hold: 0 },
      average_quality: Math.round(((80 + 30 + 75) / 3) * 100) / 100,
      rewards: { count: 2, distributed: 0, api_use: 0 },
    });
    expect(stats.rewards.pending).toBeCloseTo(amounts.reduce((a, b) => a + b, 0), 2);
    expect(stats.reputation).toBe(1.5); // +1 +1 −0.5

    const { count: m, result: rewardsRes } = await countStatements(() =>
      rewardsRoute(new Request(`${TEST_ORIGIN}/x?limit=1`), addr(owner.address)),
    );
    expect(m).toBeLessThanOrEqual(2);
    const r = await rewardsRes.json();
    expect(r.totals.pending).toBeCloseTo(stats.rewards.pending, 2);
    expect(r.items).toHaveLength(1);
    expect(r.next_cursor).not.toBeNull();
    expect(r.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      contribution_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      contribution_title: expect.any(String),
      kind: "verification",
      period: null,
      amount: expect.stringMatching(/^\d+(\.\d*[1-9])?$/), // exact decimal, no trailing zeros
      status: "pending",
      tx_hash: null,
      chain_id: null,
      failure_reason: null,
      distributed_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(new Date(r.items[0].created_at).toISOString()).toBe(r.items[0].created_at);
    const next = await (await rewardsRoute(new Request(`${TEST_ORIGIN}/x?limit=1&cursor=${r.next_cursor}`), addr(owner.address))).json();
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id).not.toBe(r.items[0].id);
    expect(next.next_cursor).toBeNull();

    const profile = await (await profileRoute(new Request(`${TEST_ORIGIN}/x`), addr(owner.address))).json();
    expect(profile.reputation).toBe(1.5);
    const mine = await (await userContributionsRoute(new Request(`${TEST_ORIGIN}/x?status=verified`), addr(owner.address))).json();
    expect(mine.items).toHaveLength(2);
    const votes = await (await verificationsRoute(new Request(`${TEST_ORIGIN}/x?limit=2`), { params: Promise.resolve({ id: ids[0]! }) })).json();
    expect(votes.items).toHaveLength(2);
    expect(votes.next_cursor).not.toBeNull();
  });

  it("answer 404 for an unknown address and 400 for a malformed one", async () => {
    expect((await statsRoute(new Request(`${TEST_ORIGIN}/x`), addr(`0x${"9".repeat(40)}`))).status).toBe(404);
    expect((await statsRoute(new Request(`${TEST_ORIGIN}/x`), addr("bob"))).status).toBe(400);
    expect((await rewardsRoute(new Request(`${TEST_ORIGIN}/x?status=paid`), addr(`0x${"9".repeat(40)}`))).status).toBe(400);
  });
});
