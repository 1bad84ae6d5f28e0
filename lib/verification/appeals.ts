import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { isUniqueViolation } from "@/db/errors";
import { getDb, queryRows, type Tx } from "@/db/client";
import { appeals, auditLog, contributions, type ContributionStatus } from "@/db/schema";
import { APPEALED_STATUS, WITHHELD_STATUS, isHeld, type AppealStatus } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { publishContributionEvent } from "@/lib/events/bus";
import { recordEvent } from "@/lib/outbox/record";

import { ballotsOf } from "./ballots";
import { appealStatement } from "./schemas";
import type { PublicAppeal } from "./decision";
import { mayReview } from "./assignments";
import { REPUTATION, moveReputation, rescoreFirstRound, rescoreVoters, settle, type Settlement } from "./settle";

/**
 * Appeals (issue #15 §5). The owner of a rejected contribution may appeal once, within
 * APPEAL_WINDOW_DAYS of the rejection, with a statement. The contribution becomes `appealed` (open)
 * and a fresh panel — APPEAL_QUORUM verifiers who did not vote in the first round, drawn like any
 * assignment (assignments.ts) — votes sealed in round 2; its votes alone decide (consensus.ts).
 * Overturned: verified, the reward created once, the rejection's reputation penalty given back.
 * Upheld: rejected for good. Either way the first round's voters are re-scored against the final
 * score. Halted (or paused) work cannot be appealed.
 */

export const appealColumns = {
  id: appeals.id,
  status: appeals.status,
  statement: appeals.statement,
  firstScore: appeals.firstScore,
  createdAt: appeals.createdAt,
  decidedAt: appeals.decidedAt,
};

type AppealRow = { id: string; status: AppealStatus; statement: string; firstScore: number | null; createdAt: Date; decidedAt: Date | null };

export const toPublicAppeal = (a: AppealRow): PublicAppeal => ({
  id: a.id,
  status: a.status,
  statement: a.statement,
  first_score: a.firstScore,
  created_at: a.createdAt.toISOString(),
  decided_at: a.decidedAt?.toISOString() ?? null,
});

const alreadyAppealed = () => new ConflictError("This contribution has been appealed already: a rejection can be appealed once");

async function lockForAppeal(tx: Tx, contributionId: string, userId: string) {
  const [c] = await tx
    .select({ id: contributions.id, userId: contributions.userId, status: contributions.status, decidedAt: contributions.decidedAt, score: contributions.qualityScore, decision: contributions.decision, votes: contributions.verificationCount })
    .from(contributions)
    .where(eq(contributions.id, contributionId))
    .for("update");
  // Withheld work is not confirmed to exist to anyone but its owner (and admins, who do not appeal).
  if (!c || (c.status === WITHHELD_STATUS && c.userId !== userId)) throw new NotFoundError("No contribution with this id");
  if (c.userId !== userId) throw new ForbiddenError("Only the contributor can appeal their contribution");
  if (isHeld(c.status)) throw new ConflictError(`This contribution is ${c.status} by moderation; it cannot be appealed`);
  if (c.status === APPEALED_STATUS || (await tx.$count(appeals, eq(appeals.contributionId, c.id))) > 0) throw alreadyAppealed();
  if (c.status !== "rejected") throw new ConflictError(`Only a rejected contribution can be appealed (this one is ${c.status})`);
  const closes = new Date(c.decidedAt!.getTime() + getEnv().APPEAL_WINDOW_DAYS * 86_400_000);
  if (closes.getTime() <= Date.now()) throw new ConflictError(`The appeal window closed on ${closes.toISOString()} (${getEnv().APPEAL_WINDOW_DAYS} days after the rejection)`);
  return c;
}

/** At most this many verifiers hear that an appeal's panel needs them (the heaviest voters first). */
export const PANEL_NOTICE_LIMIT = 20;

/**
 * "An appeal panel needs you" (appeal.panel_assigned), in the appeal's transaction. Panel seats are
 * not handed to anyone: verifiers claim assignments (assignments.ts), so the people it needs are the
 * ones who could take a seat now — active verifiers who are not the owner, did not vote in the first
 * round, hold or skipped no assignment of it, and are not linked to the owner (the same mayReview
 * rule as the draw). Told once, when the panel opens, and bounded (PANEL_NOTICE_LIMIT, weightiest
 * first, then by id): with many verifiers the first APPEAL_QUORUM claims fill it anyway. Their ids
 * are the event's audience (an internal event: never sent to an endpoint).
 */
async function recordPanelNeeded(tx: Tx, contributionId: string, appealId: string): Promise<void> {
  const rows = await queryRows<{ id: string; title: string }>(
    tx,
    sql`SELECT u.id, c.title FROM contributions c JOIN users u ON 'verifier' = ANY(u.roles) AND u.is_active AND u.id <> c.user_id
      WHERE c.id = ${contributionId} AND ${mayReview(sql`u.id`, "live-or-skipped")}
      ORDER BY u.vote_weight DESC, u.id LIMIT ${PANEL_NOTICE_LIMIT}`,
  );
  if (rows.length === 0) return;
  await recordEvent(tx, { type: "appeal.panel_assigned", audience: rows.map((r) => r.id), data: { appeal_id: appealId, contribution_id: contributionId, title: rows[0]!.title } });
}

/**
 * Files the owner's appeal: one transaction that locks the contribution, so a double submit makes
 * one appeal (the second is refused as already appealed), and reopens it for the panel.
 */
export async function fileAppeal(input: { contributionId: string; userId: string; statement: string }): Promise<PublicAppeal> {
  const statement = appealStatement.parse(input.statement);
  try {
    return await getDb().transaction(async (tx) => {
      const c = await lockForAppeal(tx, input.contributionId, input.userId);
      const [appeal] = await tx
        .insert(appeals)
        .values({ contributionId: c.id, appellantId: input.userId, statement, firstScore: c.score, firstDecision: c.decision })
        .returning(appealColumns);
      // Reopened: no score or decision time until the panel decides (the first round's votes stay revealed).
      const [updated] = await tx
        .update(contributions)
        .set({ status: APPEALED_STATUS, qualityScore: null, decidedAt: null, decisionWeight: 0, updatedAt: sql`now()` })
        .where(eq(contributions.id, c.id))
        .returning({ updatedAt: contributions.updatedAt });
      await tx.insert(auditLog).values({
        actorId: input.userId,
        entityType: "contribution",
        entityId: c.id,
        action: "contribution.appeal",
        fromStatus: c.status,
        toStatus: APPEALED_STATUS,
        reason: statement,
        details: { appeal_id: appeal!.id, first_score: c.score },
      });
      await recordEvent(tx, {
        type: "contribution.appealed",
        audience: [input.userId],
        data: { contribution_id: c.id, appeal_id: appeal!.id, first_score: c.score, appealed_at: updated!.updatedAt.toISOString() },
      });
      await recordPanelNeeded(tx, c.id, appeal!.id);
      await publishContributionEvent(tx, { id: c.id, status: APPEALED_STATUS, qualityScore: null, verificationCount: c.votes, at: updated!.updatedAt.toISOString() });
      return toPublicAppeal(appeal!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyAppealed();
    throw error;
  }
}

/**
 * Inside the panel's deciding vote (consensus.ts): the appeal's outcome and its consequences. Overturned:
 * the rejection's penalty is given back first (so the reward sees the contributor's reputation as
 * it stood), then the decision settles as a first-round verification would — one reward (unique per
 * contribution), +1 reputation, the panel scored. Upheld: the panel is scored, nothing else changes
 * for the contributor. Then the first round's voters are re-scored against the final score.
 */
export async function settleAppeal(tx: Tx, d: Settlement): Promise<{ id: string; amount: string } | null> {
  const [appeal] = await tx
    .update(appeals)
    .set({ status: d.verified ? "overturned" : "upheld", decidedAt: sql`now()` })
    .where(and(eq(appeals.contributionId, d.contributionId), eq(appeals.status, "open")))
    .returning({ firstScore: appeals.firstScore, firstDecision: appeals.firstDecision });
  if (!appeal) throw new Error(`no open appeal for ${d.contributionId}`);
  let reward: { id: string; amount: string } | null = null;
  if (d.verified) {
    const taken = Number(appeal.firstDecision?.owner_reputation_delta ?? REPUTATION.contributorRejected);
    if (taken < 0) await moveReputation(tx, d.ownerId, -taken);
    reward = (await settle(tx, d)).reward;
  } else {
    await rescoreVoters(tx, d.ballots, d.quality);
  }
  if (appeal.firstScore !== null) await rescoreFirstRound(tx, await ballotsOf(tx, d.contributionId, 1), appeal.firstScore, d.quality);
  return reward;
}

/** The contribution's appeal, if any. */
export async function appealOf(contributionId: string): Promise<PublicAppeal | null> {
  const [row] = await getDb().select(appealColumns).from(appeals).where(eq(appeals.contributionId, contributionId));
  return row ? toPublicAppeal(row) : null;
}

/** May this contribution be appealed now? (For its owner's page: show the form.) */
export function appealable(c: { status: ContributionStatus; decided_at: string | null }, appeal: PublicAppeal | null): { until: Date } | null {
  if (c.status !== "rejected" || appeal || !c.decided_at) return null;
  const until = new Date(Date.parse(c.decided_at) + getEnv().APPEAL_WINDOW_DAYS * 86_400_000);
  return until.getTime() > Date.now() ? { until } : null;
}

export interface OpenAppeal {
  id: string;
  contributionId: string;
  title: string;
  createdAt: string;
  /** Panel votes in, and live panel assignments. */
  panelVotes: number;
  panelAssigned: number;
  /** Verifiers who could still join the panel, counted up to the seats left. */
  eligible: number;
  /** Seats left: APPEAL_QUORUM minus votes and live assignments. */
  seatsLeft: number;
}

/**
 * Open appeals, oldest first, with how their panel stands: one awaiting a panel has seats left and
 * fewer eligible verifiers than seats (not the owner, not a first-round voter, not linked to the
 * owner). The eligible count stops at the seats left, so the statement stays bounded.
 */
export async function openAppeals(limit = 50): Promise<OpenAppeal[]> {
  const quorum = getEnv().APPEAL_QUORUM;
  const rows = await queryRows<{ id: string; contribution_id: string; title: string; created_at: string; votes: number; assigned: number; eligible: number }>(
    getDb(),
    sql`SELECT p.id, c.id AS contribution_id, c.title, p.created_at::text,
        (SELECT count(*)::int FROM verifications v WHERE v.contribution_id = c.id AND v.round = 2) AS votes,
        (SELECT count(*)::int FROM assignments a WHERE a.contribution_id = c.id AND a.status = 'live' AND a.expires_at > now()) AS assigned,
        (SELECT count(*)::int FROM (SELECT 1 FROM users u
          WHERE 'verifier' = ANY(u.roles) AND u.is_active AND u.id <> c.user_id AND ${mayReview(sql`u.id`, "live-or-skipped")}
          LIMIT ${quorum}) e) AS eligible
      FROM appeals p JOIN contributions c ON c.id = p.contribution_id
      WHERE p.status = 'open' ORDER BY p.created_at, p.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    contributionId: r.contribution_id,
    title: r.title,
    createdAt: r.created_at,
    panelVotes: r.votes,
    panelAssigned: r.assigned,
    eligible: r.eligible,
    seatsLeft: Math.max(0, quorum - r.votes - r.assigned),
  }));
}
