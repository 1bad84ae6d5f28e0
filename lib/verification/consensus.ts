import "server-only";

import { and, avg, count, eq, sql } from "drizzle-orm";

import { isUniqueViolation } from "@/db/errors";
import { getDb, type Tx } from "@/db/client";
import { toNumber } from "@/db/numeric";
import { auditLog, contributions, rewards, users, verifications, type ContributionStatus } from "@/db/schema";
import { isHeld, isOpen } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { publishContributionEvent } from "@/lib/events/bus";
import { rewardAmount } from "@/lib/rewards/formula";

/**
 * Who votes. A person votes as one voter whichever way they come: signed in (`human`) or through any
 * of their API keys (`key`) — both are recorded under their user id, so one vote per contribution
 * per person, and never on their own work. `agent` is a configured agent (the AI job, AGENT_TOKEN).
 */
export type Voter =
  | { kind: "human"; userId: string }
  | { kind: "key"; userId: string; keyId: string }
  | { kind: "agent"; agentId: string; agentType: "alpha" | "llm" | "external" };

const voterUserId = (v: Voter): string | null => (v.kind === "agent" ? null : v.userId);
const storedAgentType = (v: Voter) => (v.kind === "agent" ? v.agentType : v.kind === "key" ? "external" : "human");

export interface VoteInput {
  contributionId: string;
  voter: Voter;
  voteScore: number;
  subScores: Record<string, number>;
  reasoning: string;
  details?: Record<string, unknown>;
}

export interface VoteResult {
  verificationId: string;
  status: ContributionStatus;
  verificationCount: number;
  qualityScore: number | null;
  decided: boolean;
  rewardId: string | null;
}

/** Reputation changes applied when a contribution is decided. */
export const REPUTATION = { contributorVerified: 1, contributorRejected: -0.5, verifierAgrees: 0.2, verifierDisagrees: -0.2 } as const;



/**
 * Casts one vote and, when the quorum is reached, decides — all in ONE transaction that locks the
 * contribution row first, so concurrent deciding votes serialize: exactly one decision, one reward,
 * a consistent count. Rules: one vote per verifier (unique index), never on your own work, never on
 * halted/paused or already decided contributions.
 */
export async function castVote(input: VoteInput): Promise<VoteResult> {
  const env = getEnv();
  try {
    return await getDb().transaction(async (tx) => {
      const [c] = await tx
        .select({ id: contributions.id, userId: contributions.userId, status: contributions.status, fileType: contributions.fileType, duplicateOf: contributions.duplicateOf })
        .from(contributions)
        .where(eq(contributions.id, input.contributionId))
        .for("update");
      if (!c) throw new NotFoundError("No contribution with this id");
      const userId = voterUserId(input.voter);
      if (userId === c.userId) throw new ForbiddenError("You cannot vote on your own contribution");
      if (isHeld(c.status)) throw new ConflictError(`This contribution is ${c.status}; votes are closed`);
      if (!isOpen(c.status)) throw new ConflictError(`This contribution is already ${c.status}`);

      const [vote] = await tx
        .insert(verifications)
        .values({
          contributionId: c.id,
          verifierId: userId,
          agentId: input.voter.kind === "agent" ? input.voter.agentId : null,
          agentType: storedAgentType(input.voter),
          voteScore: Math.round(input.voteScore),
          subScores: input.subScores,
          reasoning: input.reasoning.slice(0, 5000),
          details: input.voter.kind === "key" ? { ...input.details, api_key_id: input.voter.keyId } : (input.details ?? {}),
        })
        .returning({ id: verifications.id });

      const [tally] = await tx
        .select({ n: count(), average: avg(verifications.voteScore) })
        .from(verifications)
        .where(eq(verifications.contributionId, c.id));
      const n = tally!.n;
      const average = Math.round(toNumber(tally!.average) * 100) / 100;
      const decided = n >= env.MIN_VERIFICATIONS;
      const status: ContributionStatus = decided ? (average >= env.VERIFICATION_THRESHOLD ? "verified" : "rejected") : "verifying";

      const [updated] = await tx
        .update(contributions)
        .set({ status, verificationCount: n, qualityScore: average, decidedAt: decided ? sql`now()` : null, updatedAt: sql`now()` })
        .where(eq(contributions.id, c.id))
        .returning({ updatedAt: contributions.updatedAt });

      if (status !== c.status) {
        await tx.insert(auditLog).values({
          actorId: userId,
          actorKind: input.voter.kind === "human" ? "user" : input.voter.kind === "key" ? "api_key" : "agent",
          entityType: "contribution",
          entityId: c.id,
          action: decided ? "contribution.decide" : "contribution.vote",
          fromStatus: c.status,
          toStatus: status,
          reason: decided ? `${n} votes, average ${average} (threshold ${env.VERIFICATION_THRESHOLD})` : null,
          details: { votes: n, average },
        });
      }

      const reward = decided
        ? await settle(tx, { contributionId: c.id, ownerId: c.userId, verified: status === "verified", duplicate: !!c.duplicateOf, fileType: c.fileType, quality: average })
        : null;
      await publishContributionEvent(tx, { id: c.id, status, qualityScore: average, verificationCount: n, reward: reward?.amount ?? null, at: updated!.updatedAt.toISOString() });
      return { verificationId: vote!.id, status, verificationCount: n, qualityScore: average, decided, rewardId: reward?.id ?? null };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("This voter has already voted on this contribution (one vote per person, whichever key or session)");
    throw error;
  }
}

/**
 * The consequences of a decision, inside the deciding transaction: the reward (once — unique per
 * contribution; none for duplicates or rejected work) and everyone's reputation.
 */
async function settle(
  tx: Tx,
  d: { contributionId: string; ownerId: string; verified: boolean; duplicate: boolean; fileType: "code" | "dataset" | "document"; quality: number },
): Promise<{ id: string; amount: string } | null> {
  const threshold = getEnv().VERIFICATION_THRESHOLD;
  let reward: { id: string; amount: string } | null = null;
  if (d.verified && !d.duplicate) {
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
    reward = created ? { id: created.id, amount } : null;
  }
  const delta = d.verified ? REPUTATION.contributorVerified : REPUTATION.contributorRejected;
  await tx
    .update(users)
    .set({ reputation: sql`greatest(0, ${users.reputation} + ${delta})`, updatedAt: sql`now()` })
    .where(eq(users.id, d.ownerId));
  // Human verifiers on the consensus side gain, the others lose (one statement for all of them).
  await tx.execute(sql`
    UPDATE ${users} SET reputation = greatest(0, ${users.reputation} + CASE
        WHEN (${verifications.voteScore} >= ${threshold}) = ${d.verified} THEN ${REPUTATION.verifierAgrees}::float8
        ELSE ${REPUTATION.verifierDisagrees}::float8 END), updated_at = now()
    FROM ${verifications}
    WHERE ${verifications.contributionId} = ${d.contributionId} AND ${verifications.verifierId} = ${users.id}`);
  return reward;
}

/** Has this voter already voted here? (For pages: hide the form.) */
export async function hasVoted(contributionId: string, userId: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(verifications)
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.verifierId, userId)));
  return (row?.n ?? 0) > 0;
}
