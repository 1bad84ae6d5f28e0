/**
 * What a verifier's review page shows after their vote (ownBallotOutcome), and that every ballot —
 * an abstention too — is announced on the event stream the contribution page refreshes from, with
 * nothing sealed in it.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { users } from "@/db/schema";
import { subscribeContribution, type ContributionEvent } from "@/lib/events/bus";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { assignedVote } from "@/test/votes";

import { castVote } from "./consensus";
import { ownBallotOutcome } from "./queries";
import { reputationDelta } from "./weights";

const testDb = setupTestDatabase();
let id = "";
let first = "";
let decider = "";
let bystander = "";
const heard: ContributionEvent[] = [];
let unsubscribe = () => {};

const reputationOf = async (userId: string) => (await testDb.handle.db.select({ r: users.reputation }).from(users).where(eq(users.id, userId)))[0]!.r;
/** NOTIFY is delivered after the commit, asynchronously: wait until `n` events arrived. */
const heardAtLeast = async (n: number) => {
  for (let i = 0; i < 100 && heard.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(heard.length).toBeGreaterThanOrEqual(n);
};

beforeAll(async () => {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  [first, decider, bystander] = await Promise.all([insertUser(db, ["verifier"]), insertUser(db, ["verifier"]), insertUser(db, ["verifier"])]).then((u) => u.map((x) => x.id));
  id = await insertContribution(db, owner.id, { title: "Outcome" });
  unsubscribe = await subscribeContribution(id, (e) => heard.push(e));
  return () => unsubscribe();
});

describe("a verifier's outcome after voting", () => {
  it("announces an agent's abstention (count unchanged, no score) like any ballot", async () => {
    await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: null, subScores: {}, reasoning: "cannot judge this format" });
    await heardAtLeast(1);
    expect(heard.at(-1)).toMatchObject({ id, status: "pending", verificationCount: 0, qualityScore: null });
  });

  it("while open: their own ballot, no verdict and no reputation change yet; nothing for one who did not vote", async () => {
    await castVote({ contributionId: id, voter: { kind: "agent", agentId: "llm-1", agentType: "llm" }, voteScore: 80, subScores: {}, reasoning: "the AI's view" });
    await assignedVote({ contributionId: id, userId: first, voteScore: 70, subScores: {}, reasoning: "a first human view" });
    const mine = await ownBallotOutcome(id, first, null);
    expect(mine).toMatchObject({ score: 70, round: 1, weightAtVote: 1, reputationDelta: null, distance: null });
    expect(await ownBallotOutcome(id, bystander, null)).toBeNull();
    // The stream told of the vote, its score sealed.
    await heardAtLeast(2);
    for (const e of heard) expect(e.qualityScore).toBeNull();
  });

  it("once their vote decides: the verdict's score and what it moved their reputation and weight by", async () => {
    const before = await reputationOf(decider);
    const result = await assignedVote({ contributionId: id, userId: decider, voteScore: 78, subScores: {}, reasoning: "the deciding view" });
    expect(result.decided).toBe(true);
    const final = result.qualityScore!;
    const outcome = (await ownBallotOutcome(id, decider, { score: final }))!;
    expect(outcome.reputationDelta).toBe(reputationDelta(78, final));
    expect(outcome.reputationNow).toBeCloseTo(Math.max(0, before + outcome.reputationDelta!), 6);
    expect(outcome.distance).toBe(Math.round(Math.abs(78 - final) * 10) / 10);
    expect(outcome.weightAtVote).toBe(1);
    expect(outcome.weightNow).not.toBe(1); // the decision scored them
    // The earlier voter's page shows the same decision for them.
    expect((await ownBallotOutcome(id, first, { score: final }))!.reputationDelta).toBe(reputationDelta(70, final));
    await heardAtLeast(3);
    expect(heard.at(-1)).toMatchObject({ status: result.status, qualityScore: final, verificationCount: 3 });
  });
});
