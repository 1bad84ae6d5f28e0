/** Rewards made the real way: a contribution verified through consensus (AI vote + two assigned verifiers). */
import { eq } from "drizzle-orm";

import type { Db } from "@/db/client";
import { rewards } from "@/db/schema";
import { castVote } from "@/lib/verification/consensus";

import { insertContribution, insertUser } from "./fixtures";
import { assignedVote } from "./votes";

export async function verifiedContribution(db: Db, score: number, owner?: { id: string; address: string }) {
  const who = owner ?? (await insertUser(db));
  const id = await insertContribution(db, who.id, { fileType: "code" });
  await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: score, subScores: {}, reasoning: "ok" });
  for (let i = 0; i < 2; i++) {
    const v = await insertUser(db, ["verifier"]);
    await assignedVote({ contributionId: id, userId: v.id, voteScore: score, subScores: {}, reasoning: "ok" });
  }
  const [r] = await db.select({ id: rewards.id, amount: rewards.amount, status: rewards.status }).from(rewards).where(eq(rewards.contributionId, id));
  if (r?.status !== "pending") throw new Error(`expected a pending reward, got ${r?.status}`);
  return { contributionId: id, address: who.address, rewardId: r.id, amount: r.amount };
}
