import "server-only";

import { and, asc, count, eq, sql } from "drizzle-orm";

import { isUniqueViolation } from "@/db/errors";
import { getDb, type Db, type Tx } from "@/db/client";
import { auditLog, contributions, users, verifications, type ContributionStatus } from "@/db/schema";
import { isHeld, isOpen } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { BALLOT_ACTIONS } from "@/lib/audit/queries";
import { publishContributionEvent } from "@/lib/events/bus";

import { aggregate } from "./aggregate";
import { consumeAssignment } from "./assignments";
import type { Decision } from "./decision";
import { ballotCommitment, newSalt } from "./commitment";
import { settle } from "./settle";

/**
 * Who votes. A person votes as one voter whichever way they come: signed in (`human`) or through any
 * of their API keys (`key`) — both are recorded under their user id, so one vote per contribution
 * per person, and never on their own work. People vote on what they were assigned; an account an
 * admin designated an agent (`agent: true`) votes through its keys without assignments, as does a
 * configured agent (`agent`: the AI job, AGENT_TOKEN).
 */
export type Voter =
  | { kind: "human"; userId: string }
  | { kind: "key"; userId: string; keyId: string; agent: boolean }
  | { kind: "agent"; agentId: string; agentType: "alpha" | "llm" | "external" };

const voterUserId = (v: Voter): string | null => (v.kind === "agent" ? null : v.userId);
const storedAgentType = (v: Voter) => (v.kind === "agent" ? v.agentType : v.kind === "key" ? "external" : "human");
const needsAssignment = (v: Voter): v is Extract<Voter, { userId: string }> => v.kind === "human" || (v.kind === "key" && !v.agent);
const alreadyVoted = () => new ConflictError("This voter has already voted on this contribution (one vote per person, whichever key or session)");
const actorKind = (v: Voter) => (v.kind === "human" ? "user" : v.kind === "key" ? "api_key" : "agent");

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
  /** Null until the decision: the running score is sealed like the votes. */
  qualityScore: number | null;
  decided: boolean;
  rewardId: string | null;
  /** The sealed ballot's commitment and salt, for the voter to keep. */
  commitment: string;
  salt: string;
}

async function lockOpen(tx: Tx, contributionId: string, userId: string | null) {
  const [c] = await tx
    .select({ id: contributions.id, userId: contributions.userId, status: contributions.status, fileType: contributions.fileType, duplicateOf: contributions.duplicateOf })
    .from(contributions)
    .where(eq(contributions.id, contributionId))
    .for("update");
  if (!c) throw new NotFoundError("No contribution with this id");
  if (userId === c.userId) throw new ForbiddenError("You cannot vote on your own contribution");
  if (isHeld(c.status)) throw new ConflictError(`This contribution is ${c.status}; votes are closed`);
  if (!isOpen(c.status)) throw new ConflictError(`This contribution is already ${c.status}`);
  return c;
}

/** The voter's identity inside the commitment, and their weight now. */
async function voterIdentity(tx: Tx, voter: Voter): Promise<{ name: string; weight: number }> {
  if (voter.kind === "agent") return { name: `agent:${voter.agentId}`, weight: getEnv().AI_WEIGHT };
  const [u] = await tx.select({ address: users.address, weight: users.voteWeight }).from(users).where(eq(users.id, voter.userId));
  if (!u) throw new NotFoundError("No such voter");
  return { name: u.address, weight: u.weight };
}

async function insertBallot(tx: Tx, input: VoteInput) {
  const { name, weight } = await voterIdentity(tx, input.voter);
  const voteScore = Math.round(input.voteScore);
  const reasoning = input.reasoning.slice(0, 5000);
  const salt = newSalt();
  const commitment = ballotCommitment({ contributionId: input.contributionId, voter: name, voteScore, subScores: input.subScores, reasoning, salt });
  const [vote] = await tx
    .insert(verifications)
    .values({
      contributionId: input.contributionId,
      verifierId: voterUserId(input.voter),
      agentId: input.voter.kind === "agent" ? input.voter.agentId : null,
      agentType: storedAgentType(input.voter),
      voteScore,
      subScores: input.subScores,
      reasoning,
      details: input.voter.kind === "key" ? { ...input.details, api_key_id: input.voter.keyId } : (input.details ?? {}),
      weight,
      salt,
      commitment,
    })
    .returning({ id: verifications.id });
  return { id: vote!.id, commitment, salt };
}

/** Every ballot in, oldest first (a handful per contribution: the decision reads them all). */
function ballotsOf(tx: Tx, contributionId: string) {
  return tx
    .select({ verifierId: verifications.verifierId, score: verifications.voteScore, weight: verifications.weight, subScores: verifications.subScores, reasoning: verifications.reasoning, agentType: verifications.agentType })
    .from(verifications)
    .where(eq(verifications.contributionId, contributionId))
    .orderBy(asc(verifications.createdAt), asc(verifications.id));
}

/**
 * Casts one sealed vote and, once MIN_VERIFICATIONS votes and MIN_DECISION_WEIGHT of weight are in,
 * decides — all in ONE transaction that locks the contribution row first, so concurrent deciding
 * votes serialize: exactly one decision, one reward, one set of reputation and weight updates.
 * Rules: one vote per voter (unique index), never on your own work, never on halted/paused or
 * decided contributions. Nothing of the running score is stored or published before the decision.
 */
export async function castVote(input: VoteInput): Promise<VoteResult> {
  const env = getEnv();
  try {
    return await getDb().transaction(async (tx) => {
      const c = await lockOpen(tx, input.contributionId, voterUserId(input.voter));
      if (needsAssignment(input.voter) && !(await consumeAssignment(tx, c.id, input.voter.userId))) {
        if (await hasVoted(c.id, input.voter.userId, tx)) throw alreadyVoted();
        throw new ForbiddenError("This contribution is not assigned to you, or your assignment expired: take your next assignment on /verify");
      }
      const ballot = await insertBallot(tx, input);
      const ballots = await ballotsOf(tx, c.id);
      const n = ballots.length;
      const weightIn = ballots.reduce((s, b) => s + b.weight, 0);
      const decided = n >= env.MIN_VERIFICATIONS && weightIn >= env.MIN_DECISION_WEIGHT - 1e-9;
      const result = decided ? aggregate(ballots) : null;
      const status: ContributionStatus = result ? (result.score >= env.VERIFICATION_THRESHOLD ? "verified" : "rejected") : "verifying";
      const decision = result ? decisionRecord(result, ballots, env.VERIFICATION_THRESHOLD) : null;

      const [updated] = await tx
        .update(contributions)
        .set({ status, verificationCount: n, decisionWeight: weightIn, qualityScore: result?.score ?? null, decision, decidedAt: decided ? sql`now()` : null, updatedAt: sql`now()` })
        .where(eq(contributions.id, c.id))
        .returning({ updatedAt: contributions.updatedAt });

      await tx.insert(auditLog).values({
        actorId: voterUserId(input.voter),
        actorKind: actorKind(input.voter),
        entityType: "contribution",
        entityId: c.id,
        action: decided ? BALLOT_ACTIONS.decide : BALLOT_ACTIONS.vote,
        fromStatus: status !== c.status ? c.status : null,
        toStatus: status !== c.status ? status : null,
        // Every ballot's commitment is published on the timeline as it is cast.
        reason: result
          ? `ballot ${ballot.commitment}; ${n} votes, weight ${result.weight}, score ${result.score} (threshold ${env.VERIFICATION_THRESHOLD})`
          : `ballot ${ballot.commitment}`,
        details: result ? { commitment: ballot.commitment, votes: n, score: result.score, median: result.median, weight: result.weight, clipped: result.clipped } : { commitment: ballot.commitment, votes: n },
      });

      const reward = result
        ? await settle(tx, { contributionId: c.id, ownerId: c.userId, verified: status === "verified", duplicate: !!c.duplicateOf, fileType: c.fileType, quality: result.score, ballots })
        : null;
      const qualityScore = result?.score ?? null;
      await publishContributionEvent(tx, { id: c.id, status, qualityScore, verificationCount: n, reward: reward?.amount ?? null, at: updated!.updatedAt.toISOString() });
      return { verificationId: ballot.id, status, verificationCount: n, qualityScore, decided, rewardId: reward?.id ?? null, commitment: ballot.commitment, salt: ballot.salt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyVoted();
    throw error;
  }
}

function decisionRecord(result: ReturnType<typeof aggregate>, ballots: { score: number; reasoning: string; agentType: string }[], threshold: number): Decision {
  const reasons = ballots.map((b) => ({ agent_type: b.agentType, score: b.score, reasoning: b.reasoning.slice(0, 500) })).sort((a, b) => a.score - b.score);
  return { score: result.score, median: result.median, weight: result.weight, clipped: result.clipped, threshold, criteria: result.criteria, reasons };
}

/** Has this voter already voted here? (For pages: hide the form.) */
export async function hasVoted(contributionId: string, userId: string, db: Db | Tx = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(verifications)
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.verifierId, userId)));
  return (row?.n ?? 0) > 0;
}
