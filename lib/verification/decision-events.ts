import "server-only";

import { and, asc, eq, isNotNull } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { appeals, users, verifications } from "@/db/schema";
import { recordEvents, type NewEvent } from "@/lib/outbox/record";

interface Decided {
  contributionId: string;
  ownerId: string;
  status: "verified" | "rejected";
  score: number;
  round: number;
  votes: number;
  reward: { id: string; amount: string } | null;
}

/**
 * What a decision tells the outbox, in its transaction: the verdict, each ballot of the round now
 * revealed (to the owner and the voter), the reward if one was made, the appeal's outcome in round 2.
 * Before this moment no vote of the round is in any event: they are sealed.
 */
export async function recordDecisionEvents(tx: Tx, d: Decided): Promise<void> {
  const at = new Date().toISOString();
  const ballots = await tx
    .select({ id: verifications.id, verifierId: verifications.verifierId, agentId: verifications.agentId, address: users.address, score: verifications.voteScore, weight: verifications.weight })
    .from(verifications)
    .leftJoin(users, eq(users.id, verifications.verifierId))
    .where(and(eq(verifications.contributionId, d.contributionId), eq(verifications.round, d.round), isNotNull(verifications.voteScore)))
    .orderBy(asc(verifications.createdAt), asc(verifications.id));
  const list: NewEvent[] = [
    {
      type: "contribution.decided",
      audience: [d.ownerId],
      data: { contribution_id: d.contributionId, status: d.status, score: d.score, round: d.round, votes: d.votes, reward: d.reward, decided_at: at },
    },
    ...ballots.map(
      (b): NewEvent => ({
        type: "vote.revealed",
        audience: [d.ownerId, b.verifierId],
        data: { contribution_id: d.contributionId, verification_id: b.id, voter: b.address ?? `agent:${b.agentId}`, round: d.round, score: b.score!, weight: b.weight, revealed_at: at },
      }),
    ),
  ];
  if (d.reward) {
    list.push({ type: "reward.created", audience: [d.ownerId], data: { reward_id: d.reward.id, contribution_id: d.contributionId, amount: d.reward.amount, created_at: at } });
  }
  if (d.round === 2) {
    const [appeal] = await tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.contributionId, d.contributionId));
    if (appeal) {
      list.push({
        type: "appeal.decided",
        audience: [d.ownerId],
        data: { appeal_id: appeal.id, contribution_id: d.contributionId, outcome: d.status === "verified" ? "overturned" : "upheld", score: d.score, decided_at: at },
      });
    }
  }
  await recordEvents(tx, list);
}
