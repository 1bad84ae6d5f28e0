import "server-only";

import { eq, inArray, sql } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { toNumber } from "@/db/numeric";
import { contributions, rewards, users } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { rewardAmount } from "@/lib/rewards/formula";

import { nextAgreement, reputationDelta, voterWeight } from "./weights";

/** Contributors' reputation changes at a decision (verifiers' move with how close they voted: weights.ts). */
export const REPUTATION = { contributorVerified: 1, contributorRejected: -0.5 } as const;

export interface Settlement {
  contributionId: string;
  ownerId: string;
  verified: boolean;
  duplicate: boolean;
  fileType: "code" | "dataset" | "document";
  quality: number;
  ballots: { verifierId: string | null; score: number }[];
}

/**
 * The consequences of a decision, inside the deciding transaction: the reward (once — unique per
 * contribution; none for duplicates or rejected work), the contributor's reputation, and every human
 * voter's reputation, agreement and weight, moved by how close their revealed vote came.
 */
export async function settle(tx: Tx, d: Settlement): Promise<{ id: string; amount: string } | null> {
  const reward = d.verified && !d.duplicate ? await createReward(tx, d) : null;
  const delta = d.verified ? REPUTATION.contributorVerified : REPUTATION.contributorRejected;
  await tx
    .update(users)
    .set({ reputation: sql`greatest(0, ${users.reputation} + ${delta})`, updatedAt: sql`now()` })
    .where(eq(users.id, d.ownerId));
  await rescoreVoters(tx, d.ballots, d.quality);
  return reward;
}

async function createReward(tx: Tx, d: Settlement): Promise<{ id: string; amount: string } | null> {
  const [owner] = await tx
    .select({
      reputation: users.reputation,
      verified: sql<number>`(SELECT count(*)::int FROM ${contributions} WHERE ${contributions.userId} = ${d.ownerId} AND ${contributions.status} = 'verified')`,
      averageQuality: sql<string | null>`(SELECT avg(${contributions.qualityScore}) FROM ${contributions} WHERE ${contributions.userId} = ${d.ownerId} AND ${contributions.status} = 'verified')`,
    })
    .from(users)
    .where(eq(users.id, d.ownerId));
  const amount = rewardAmount({
    quality: d.quality,
    fileType: d.fileType,
    verifiedContributions: toNumber(owner!.verified),
    averageQuality: toNumber(owner!.averageQuality),
    reputation: owner!.reputation,
  });
  const [created] = await tx
    .insert(rewards)
    .values({ userId: d.ownerId, contributionId: d.contributionId, amount })
    .onConflictDoNothing({ target: rewards.contributionId })
    .returning({ id: rewards.id });
  return created ? { id: created.id, amount } : null;
}

/** Two statements whatever the panel's size: read the voters' records, write them all back. */
async function rescoreVoters(tx: Tx, ballots: { verifierId: string | null; score: number }[], final: number): Promise<void> {
  const human = ballots.filter((b): b is { verifierId: string; score: number } => b.verifierId !== null);
  if (human.length === 0) return;
  const env = getEnv();
  const bounds = { min: env.WEIGHT_MIN, max: env.WEIGHT_MAX, calibrationFloor: env.CALIBRATION_FLOOR };
  const records = await tx
    .select({ id: users.id, agreement: users.agreement })
    .from(users)
    .where(inArray(users.id, human.map((b) => b.verifierId)));
  const byId = new Map(records.map((r) => [r.id, r.agreement]));
  const rows = human.map((b) => {
    const agreement = nextAgreement(byId.get(b.verifierId) ?? null, b.score, final);
    return sql`(${b.verifierId}::uuid, ${reputationDelta(b.score, final)}::float8, ${agreement}::float8, ${voterWeight({ agreement }, bounds)}::float8)`;
  });
  await tx.execute(sql`
    UPDATE ${users} SET reputation = greatest(0, ${users.reputation} + v.delta), agreement = v.agreement,
      vote_weight = v.weight, scored_votes = ${users.scoredVotes} + 1, updated_at = now()
    FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(id, delta, agreement, weight)
    WHERE ${users.id} = v.id`);
}
