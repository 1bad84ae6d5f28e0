import "server-only";

import { and, count, eq, sql } from "drizzle-orm";

import { isUniqueViolation } from "@/db/errors";
import { getDb, type Db, type Tx } from "@/db/client";
import { auditLog, contributions, users, verifications, type ContributionStatus } from "@/db/schema";
import { APPEALED_STATUS, isHeld, isOpen } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { BALLOT_ACTIONS } from "@/lib/audit/queries";
import { publishContributionEvent } from "@/lib/events/bus";

import { aggregate } from "./aggregate";
import { settleAppeal } from "./appeals";
import { ballotsOf, type Ballot } from "./ballots";
import { consumeAssignment } from "./assignments";
import type { Decision } from "./decision";
import { recordDecisionEvents } from "./decision-events";
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
  /** Null: an agent's abstention — recorded with its reason, it carries no score and no weight. */
  voteScore: number | null;
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
    .select({
      id: contributions.id,
      userId: contributions.userId,
      status: contributions.status,
      fileType: contributions.fileType,
      duplicateOf: contributions.duplicateOf,
      calibration: contributions.calibration,
      votes: contributions.verificationCount,
    })
    .from(contributions)
    .where(eq(contributions.id, contributionId))
    .for("update");
  if (!c) throw new NotFoundError("No contribution with this id");
  if (userId === c.userId) throw new ForbiddenError("You cannot vote on your own contribution");
  if (isHeld(c.status)) throw new ConflictError(`This contribution is ${c.status}; votes are closed`);
  if (!isOpen(c.status)) throw new ConflictError(`This contribution is already ${c.status}`);
  return c;
}

type Locked = Awaited<ReturnType<typeof lockOpen>>;

/** 1 for the first round; 2 while an appeal's panel votes. */
const roundOf = (c: Locked) => (c.status === APPEALED_STATUS ? 2 : 1);

/** People vote on what they were assigned (consumed here); an appeal is voted on by its assigned panel only. */
async function admit(tx: Tx, c: Locked, voter: Voter, round: number): Promise<void> {
  if (needsAssignment(voter)) {
    if (await consumeAssignment(tx, c.id, voter.userId)) return;
    if (await hasVoted(c.id, voter.userId, tx)) throw alreadyVoted();
    throw new ForbiddenError("This contribution is not assigned to you, or your assignment expired: take your next assignment on /verify");
  }
  if (round === 2) throw new ForbiddenError("An appeal is decided by its assigned panel of verifiers alone; agents do not vote on it");
}

/** The voter's identity inside the commitment, and their weight now. */
async function voterIdentity(tx: Tx, voter: Voter): Promise<{ name: string; weight: number }> {
  if (voter.kind === "agent") return { name: `agent:${voter.agentId}`, weight: getEnv().AI_WEIGHT };
  const [u] = await tx.select({ address: users.address, weight: users.voteWeight }).from(users).where(eq(users.id, voter.userId));
  if (!u) throw new NotFoundError("No such voter");
  return { name: u.address, weight: u.weight };
}

async function insertBallot(tx: Tx, input: VoteInput, round: number) {
  const { name, weight } = await voterIdentity(tx, input.voter);
  const voteScore = input.voteScore === null ? null : Math.round(input.voteScore);
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
      weight: voteScore === null ? 0 : weight,
      salt,
      commitment,
      round,
    })
    .returning({ id: verifications.id });
  return { id: vote!.id, commitment, salt };
}

/**
 * Where the round stands after a ballot: decided once its quorum (MIN_VERIFICATIONS, or APPEAL_QUORUM
 * for an appeal's panel) and MIN_DECISION_WEIGHT of weight are in. Calibration items never decide.
 */
function tally(c: Locked, ballots: Ballot[], round: number) {
  const env = getEnv();
  const weightIn = ballots.reduce((s, b) => s + b.weight, 0);
  const quorum = round === 2 ? env.APPEAL_QUORUM : env.MIN_VERIFICATIONS;
  const decided = !c.calibration && ballots.length >= quorum && weightIn >= env.MIN_DECISION_WEIGHT - 1e-9;
  const result = decided ? aggregate(ballots) : null;
  const open: ContributionStatus = round === 2 ? APPEALED_STATUS : "verifying";
  const status: ContributionStatus = result ? (result.score >= env.VERIFICATION_THRESHOLD ? "verified" : "rejected") : open;
  return { weightIn, result, status, decision: result ? decisionRecord(result, ballots, env.VERIFICATION_THRESHOLD, round) : null };
}

function auditEntry(c: Locked, input: VoteInput, commitment: string, t: ReturnType<typeof tally>, votes: number, round: number) {
  const r = t.result;
  const outcome = round === 2 && r ? (t.status === "verified" ? "appeal overturned: " : "appeal upheld: ") : "";
  return {
    actorId: voterUserId(input.voter),
    actorKind: actorKind(input.voter),
    entityType: "contribution",
    entityId: c.id,
    action: r ? BALLOT_ACTIONS.decide : BALLOT_ACTIONS.vote,
    fromStatus: t.status !== c.status ? c.status : null,
    toStatus: t.status !== c.status ? t.status : null,
    // Every ballot's commitment is published on the timeline as it is cast.
    reason: r ? `${outcome}ballot ${commitment}; ${votes} votes, weight ${r.weight}, score ${r.score} (threshold ${getEnv().VERIFICATION_THRESHOLD})` : `ballot ${commitment}`,
    details: r ? { commitment, votes, round, score: r.score, median: r.median, weight: r.weight, clipped: r.clipped } : { commitment, votes, round },
  };
}

/**
 * Casts one sealed vote and, once the round's quorum and MIN_DECISION_WEIGHT of weight are in,
 * decides — all in ONE transaction that locks the contribution row first, so concurrent deciding
 * votes serialize: exactly one decision, one reward, one set of reputation and weight updates.
 * Rules: one vote per voter (unique index), never on your own work, never on halted/paused or
 * decided contributions. Nothing of the running score is stored or published before the decision.
 * An appeal's panel votes in round 2, decided by its votes alone (appeals.ts settles it).
 */
export async function castVote(input: VoteInput): Promise<VoteResult> {
  if (input.voteScore === null && input.voter.kind !== "agent") throw new ForbiddenError("Only an AI agent may abstain");
  try {
    return await getDb().transaction(async (tx) => {
      const c = await lockOpen(tx, input.contributionId, voterUserId(input.voter));
      const round = roundOf(c);
      await admit(tx, c, input.voter, round);
      const ballot = await insertBallot(tx, input, round);
      if (input.voteScore === null) return abstention(tx, c, input, ballot, round);
      const ballots = await ballotsOf(tx, c.id, round);
      const votes = c.votes + 1;
      const t = tally(c, ballots, round);
      const [updated] = await tx
        .update(contributions)
        .set({ status: t.status, verificationCount: votes, decisionWeight: t.weightIn, qualityScore: t.result?.score ?? null, decision: t.decision, decidedAt: t.result ? sql`now()` : null, updatedAt: sql`now()` })
        .where(eq(contributions.id, c.id))
        .returning({ updatedAt: contributions.updatedAt });
      await tx.insert(auditLog).values(auditEntry(c, input, ballot.commitment, t, votes, round));
      const reward = t.result ? await consequences(tx, c, t.status === "verified", t.result.score, ballots, round) : null;
      const qualityScore = t.result?.score ?? null;
      if (t.result) {
        const status = t.status as "verified" | "rejected";
        await recordDecisionEvents(tx, { contributionId: c.id, ownerId: c.userId, status, score: t.result.score, round, votes, reward });
      }
      await publishContributionEvent(tx, { id: c.id, status: t.status, qualityScore, verificationCount: votes, reward: reward?.amount ?? null, at: updated!.updatedAt.toISOString() });
      return { verificationId: ballot.id, status: t.status, verificationCount: votes, qualityScore, decided: !!t.result, rewardId: reward?.id ?? null, commitment: ballot.commitment, salt: ballot.salt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyVoted();
    throw error;
  }
}

/**
 * An abstention is recorded (and its commitment published) but changes nothing else: it is no vote,
 * so the count, the quorum and the weight stand where they were — people's votes reach the quorum.
 */
async function abstention(tx: Tx, c: Locked, input: VoteInput, ballot: { id: string; commitment: string; salt: string }, round: number): Promise<VoteResult> {
  await tx.insert(auditLog).values({
    actorId: null,
    actorKind: actorKind(input.voter),
    entityType: "contribution",
    entityId: c.id,
    action: BALLOT_ACTIONS.abstain,
    reason: `abstention ${ballot.commitment}`,
    details: { commitment: ballot.commitment, votes: c.votes, round },
  });
  // Nothing of the contribution moved, but its pages gained a timeline entry and a sealed row: tell them.
  await publishContributionEvent(tx, { id: c.id, status: c.status, qualityScore: null, verificationCount: c.votes, at: new Date().toISOString() });
  return { verificationId: ballot.id, status: c.status, verificationCount: c.votes, qualityScore: null, decided: false, rewardId: null, commitment: ballot.commitment, salt: ballot.salt };
}

/** A decision's reward and record updates: the first round's settle, or the appeal's. */
async function consequences(tx: Tx, c: Locked, verified: boolean, score: number, ballots: Ballot[], round: number) {
  const decided = { contributionId: c.id, ownerId: c.userId, verified, duplicate: !!c.duplicateOf, fileType: c.fileType, quality: score, ballots };
  if (round === 2) return settleAppeal(tx, decided);
  const { reward, ownerDelta } = await settle(tx, decided);
  // Kept with the decision so that an overturning appeal gives back exactly what the rejection took.
  await tx
    .update(contributions)
    .set({ decision: sql`${contributions.decision} || jsonb_build_object('owner_reputation_delta', ${ownerDelta}::float8)` })
    .where(eq(contributions.id, c.id));
  return reward;
}

function decisionRecord(result: ReturnType<typeof aggregate>, ballots: Ballot[], threshold: number, round: number): Decision {
  const reasons = ballots.map((b) => ({ agent_type: b.agentType, score: b.score, reasoning: b.reasoning.slice(0, 500) })).sort((a, b) => a.score - b.score);
  return { score: result.score, median: result.median, weight: result.weight, clipped: result.clipped, threshold, criteria: result.criteria, reasons, round };
}

/** Has this voter already voted here? (For pages: hide the form.) */
export async function hasVoted(contributionId: string, userId: string, db: Db | Tx = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(verifications)
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.verifierId, userId)));
  return (row?.n ?? 0) > 0;
}
