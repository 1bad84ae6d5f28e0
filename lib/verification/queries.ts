import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { appeals, contributions, users, verifications } from "@/db/schema";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import { storedCalibration } from "./settle";
import { reputationDelta, type CalibrationRecord } from "./weights";

/** A vote while its contribution is open: only that it exists and its commitment. */
export interface SealedVerification {
  id: string;
  sealed: true;
  commitment: string | null;
  created_at: string;
}

/** A vote after the decision (or the viewer's own before it): everything, salt included, so anyone can recompute the commitment. */
export interface RevealedVerification {
  id: string;
  sealed: boolean;
  verifier: string | null;
  agent_id: string | null;
  agent_type: string;
  /** Null: an agent's abstention. */
  vote_score: number | null;
  abstained: boolean;
  sub_scores: Record<string, number>;
  reasoning: string;
  weight: number;
  salt: string;
  commitment: string | null;
  created_at: string;
}

export type PublicVerification = SealedVerification | RevealedVerification;

export const isRevealed = (v: PublicVerification): v is RevealedVerification => "vote_score" in v;

export interface VerificationListInput {
  contributionId: string;
  cursor?: Cursor;
  limit: number;
  /** Ballots of this round and later are sealed (null: every vote is revealed) — see `sealedRound`. */
  sealedFrom: number | null;
  /** While sealed, the viewer's own vote is shown to them. */
  viewerId: string | null;
}

/**
 * Which ballots are sealed to this viewer: none once decided; while open, the round being voted
 * (an appeal's panel, round 2, while the first round stays revealed). A calibration item's votes are
 * sealed for good to everyone but admins.
 */
export function sealedRound(c: { decided_at: string | null; appeal: { status: string } | null; calibration: boolean }, viewerIsAdmin: boolean): number | null {
  if (c.calibration) return viewerIsAdmin ? null : 1;
  if (c.decided_at !== null) return null;
  return c.appeal?.status === "open" ? 2 : 1;
}

/** A contribution's votes as this viewer may see them (the viewer is looked up only when something is sealed). */
export async function votesFor(
  c: { id: string; decided_at: string | null; appeal: { status: string } | null; calibration: boolean },
  viewer: () => Promise<{ userId: string; roles: readonly string[] } | null>,
  page: { cursor?: Cursor; limit: number },
): Promise<Page<PublicVerification>> {
  const v = c.calibration || c.decided_at === null ? await viewer() : null;
  const sealedFrom = sealedRound(c, !!v?.roles.includes("admin"));
  return listVerifications({ contributionId: c.id, ...page, sealedFrom, viewerId: sealedFrom === null ? null : (v?.userId ?? null) });
}

/** The stricter of two seals: any seal beats none, an earlier round beats a later one. */
const stricterSeal = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** A contribution's votes, newest first, keyset-paginated: one statement (left join for human verifiers). */
export async function listVerifications(input: VerificationListInput): Promise<Page<PublicVerification>> {
  // A `back` cursor (a page's Previous link; the API never decodes one) reads the newer votes.
  const order = keyset(verifications.createdAt, verifications.id, input.cursor);
  const rows = await getDb()
    .select({
      id: verifications.id,
      verifierId: verifications.verifierId,
      verifierAddress: users.address,
      agentId: verifications.agentId,
      agentType: verifications.agentType,
      voteScore: verifications.voteScore,
      subScores: verifications.subScores,
      reasoning: verifications.reasoning,
      weight: verifications.weight,
      salt: verifications.salt,
      commitment: verifications.commitment,
      round: verifications.round,
      createdAt: verifications.createdAt,
      cursorAt: cursorText(verifications.createdAt),
      // Sealing as the primary has it now (once per statement: uncorrelated subqueries). The caller's
      // contribution may come from a cache or a replica a moment behind — say, decided, while the
      // primary already reopened it for an appeal whose panel is voting.
      sealedNow: sql<number | null>`(SELECT CASE WHEN c.calibration THEN NULL WHEN c.decided_at IS NOT NULL THEN NULL
          WHEN EXISTS (SELECT 1 FROM ${appeals} a WHERE a.contribution_id = c.id AND a.status = 'open') THEN 2 ELSE 1 END
        FROM ${contributions} c WHERE c.id = ${input.contributionId})`,
    })
    .from(verifications)
    .leftJoin(users, eq(users.id, verifications.verifierId))
    .where(
      and(
        eq(verifications.contributionId, input.contributionId),
        order.where,
      ),
    )
    .orderBy(order.orderBy)
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r): PublicVerification => {
    const created_at = r.createdAt.toISOString();
    const sealedFrom = stricterSeal(input.sealedFrom, r.sealedNow === null ? null : Number(r.sealedNow));
    const sealed = sealedFrom !== null && r.round >= sealedFrom;
    if (sealed && (input.viewerId === null || r.verifierId !== input.viewerId)) return { id: r.id, sealed: true, commitment: r.commitment, created_at };
    return {
      id: r.id,
      sealed,
      verifier: r.verifierAddress,
      agent_id: r.agentId,
      agent_type: r.agentType,
      vote_score: r.voteScore,
      abstained: r.voteScore === null,
      sub_scores: r.subScores,
      reasoning: r.reasoning,
      weight: r.weight,
      salt: r.salt,
      commitment: r.commitment,
      created_at,
    };
  }, input.cursor);
}

export interface VoterStanding {
  weight: number;
  /** Moving average of closeness to the final scores (0–1); null before any decision scored them. */
  agreement: number | null;
  scoredVotes: number;
  /** Their calibration record (the daily batch's), null before any item of theirs was scored. */
  calibration: CalibrationRecord | null;
}

/** A verifier's weight and record, for their own page. */
export async function voterStanding(userId: string): Promise<VoterStanding | null> {
  const [row] = await getDb()
    .select({ weight: users.voteWeight, agreement: users.agreement, scoredVotes: users.scoredVotes, calibrationSeen: users.calibrationSeen, calibrationAgreement: users.calibrationAgreement, calibrationError: users.calibrationError })
    .from(users)
    .where(eq(users.id, userId));
  return row ? { weight: row.weight, agreement: row.agreement, scoredVotes: row.scoredVotes, calibration: storedCalibration(row) } : null;
}

/** A verifier's own ballot on a contribution and where it left them: for their review page after voting. */
export interface OwnBallotOutcome {
  /** Null: no score (only agents abstain, so never for a person's ballot in practice). */
  score: number | null;
  round: number;
  /** Their weight when they voted, and now. */
  weightAtVote: number;
  weightNow: number;
  reputationNow: number;
  /** Once decided: what the decision moved their reputation by (the rule of weights.ts; an appeal re-scores first-round votes against the final score). */
  reputationDelta: number | null;
  /** Once decided: how far their vote was from the final score. */
  distance: number | null;
}

/**
 * The viewer's own ballot (revealed to its voter at all times) and their standing now; null when they
 * have not voted. `decision` is the contribution's, passed only once it is decided. One statement.
 */
export async function ownBallotOutcome(contributionId: string, userId: string, decision: { score: number } | null): Promise<OwnBallotOutcome | null> {
  const [row] = await getDb()
    .select({ score: verifications.voteScore, round: verifications.round, weightAtVote: verifications.weight, weightNow: users.voteWeight, reputationNow: users.reputation })
    .from(verifications)
    .innerJoin(users, eq(users.id, verifications.verifierId))
    .where(and(eq(verifications.contributionId, contributionId), eq(verifications.verifierId, userId)))
    .orderBy(desc(verifications.round))
    .limit(1);
  if (!row) return null;
  const scored = decision !== null && row.score !== null;
  return {
    ...row,
    reputationDelta: scored ? reputationDelta(row.score!, decision.score) : null,
    distance: scored ? Math.round(Math.abs(row.score! - decision.score) * 10) / 10 : null,
  };
}
