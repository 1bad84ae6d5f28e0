import "server-only";

import { randomUUID } from "node:crypto";

import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";

import { getDb, queryRows, type Tx } from "@/db/client";
import { assignments, contributions, users } from "@/db/schema";
import { APPEALED_STATUS, OPEN_STATUSES, isOpen, sqlLiterals } from "@/db/vocabulary";
import { CREATE_ACTION } from "@/lib/audit/queries";
import { getEnv } from "@/lib/config/env";
import { NotFoundError } from "@/lib/errors";

import { linkedTo } from "./conflicts";

/**
 * Reviews are assigned, not picked (issue #15 §2). A verifier asks for their next assignment and
 * gets one drawn at random among the open contributions they may review — not their own, not one
 * they voted on or skipped, not one of someone they are linked to (conflicts.ts) — that still need
 * reviewers (`stillNeeded`: the first round's quorum and weight, an appeal's fresh panel, a calibration
 * item's CALIBRATION_VOTES).
 * Every assignment is written under the contribution's row lock after re-checking that need, so
 * however many verifiers claim at once no contribution is handed out beyond it. An assignment is
 * held ASSIGNMENT_MINUTES, at most MAX_OPEN_ASSIGNMENTS at once; expired or skipped, it is back in
 * the pool. A human vote (session or key) consumes a live assignment; agents vote without one.
 */

export interface Assignment {
  id: string;
  contributionId: string;
  title: string;
  fileType: string;
  expiresAt: Date;
}

const OPEN = sql.raw(sqlLiterals(OPEN_STATUSES));
/** Held and not past its time (drizzle form of LIVE below). */
const isLive = () => and(eq(assignments.status, "live"), gt(assignments.expiresAt, sql`now()`));
const LIVE = sql`a.status = 'live' AND a.expires_at > now()`;
/**
 * On a contribution aliased `c`: the verifier may review it and it still needs reviewers
 * (`stillNeeded`).
 */
function assignableTo(verifierId: string, held: "live" | "live-or-skipped"): SQL {
  return sql`${mayReview(sql`${verifierId}::uuid`, held)} AND ${stillNeeded()}`;
}

/**
 * On a contribution aliased `c`: the verifier (an SQL expression) may review it — has not voted on
 * it, does not hold it (nor skipped it, for the draw), and is not linked to its owner. The owner
 * themselves is excluded by the callers' `c.user_id <>`; a calibration item's owner is the platform
 * account, so its uploader (the creation's audit entry) is excluded here: their own file would tell
 * them it is a test, and they would review their own work.
 */
export function mayReview(verifier: SQL, held: "live" | "live-or-skipped"): SQL {
  const mine = held === "live" ? sql`a.status = 'live'` : sql`a.status IN ('live', 'skipped')`;
  return sql`NOT EXISTS (SELECT 1 FROM verifications v WHERE v.contribution_id = c.id AND v.verifier_id = ${verifier})
    AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.contribution_id = c.id AND a.verifier_id = ${verifier} AND ${mine})
    AND NOT (c.calibration AND EXISTS (SELECT 1 FROM audit_log l WHERE l.entity_type = 'contribution' AND l.entity_id = c.id::text
      AND l.action = ${CREATE_ACTION} AND l.actor_id = ${verifier}))
    AND NOT ${linkedTo(verifier)}`;
}

/**
 * What a contribution's round still needs, counting live assignments as votes to come: a calibration
 * item, votes short of CALIBRATION_VOTES; an appeal, panel votes short of APPEAL_QUORUM or panel weight
 * short of MIN_DECISION_WEIGHT (decision_weight is the current round's); otherwise votes short of
 * MIN_VERIFICATIONS or weight short of MIN_DECISION_WEIGHT.
 */
function stillNeeded(): SQL {
  const { MIN_VERIFICATIONS, MIN_DECISION_WEIGHT, CALIBRATION_VOTES, APPEAL_QUORUM } = getEnv();
  const live = sql`(SELECT count(*) FROM assignments a WHERE a.contribution_id = c.id AND ${LIVE})`;
  const liveWeight = sql`(SELECT coalesce(sum(u.vote_weight), 0) FROM assignments a JOIN users u ON u.id = a.verifier_id WHERE a.contribution_id = c.id AND ${LIVE})`;
  const panelVotes = sql`(SELECT count(*) FROM verifications v WHERE v.contribution_id = c.id AND v.round = 2)`;
  const weightShort = sql`c.decision_weight + ${liveWeight} < ${MIN_DECISION_WEIGHT} - 1e-9`;
  return sql`(CASE WHEN c.calibration THEN c.verification_count + ${live} < ${CALIBRATION_VOTES}
    WHEN c.status = ${sql.raw(sqlLiterals([APPEALED_STATUS]))} THEN ${panelVotes} + ${live} < ${APPEAL_QUORUM} OR ${weightShort}
    ELSE c.verification_count + ${live} < ${MIN_VERIFICATIONS} OR ${weightShort} END)`;
}

/** The verifier's live assignments, oldest first (at most MAX_OPEN_ASSIGNMENTS). */
export async function liveAssignments(verifierId: string): Promise<Assignment[]> {
  return getDb()
    .select({ id: assignments.id, contributionId: assignments.contributionId, title: contributions.title, fileType: contributions.fileType, expiresAt: assignments.expiresAt })
    .from(assignments)
    .innerJoin(contributions, eq(contributions.id, assignments.contributionId))
    .where(and(eq(assignments.verifierId, verifierId), isLive()))
    .orderBy(asc(assignments.createdAt))
    .limit(getEnv().MAX_OPEN_ASSIGNMENTS);
}

/** Up to `limit` candidates from a random point of the open-id index onward (or before it, on the wrap). */
async function candidates(tx: Tx, verifierId: string, pivot: string, after: boolean, limit: number) {
  return queryRows<{ id: string; title: string; file_type: string }>(
    tx,
    sql`SELECT c.id, c.title, c.file_type FROM contributions c
      WHERE c.status IN (${OPEN}) AND ${after ? sql`c.id >= ${pivot}::uuid` : sql`c.id < ${pivot}::uuid`} AND c.user_id <> ${verifierId}
        AND ${assignableTo(verifierId, "live-or-skipped")}
      ORDER BY c.id LIMIT ${limit}`,
  );
}

/**
 * Assigns one contribution to a verifier if it is open, theirs to review and still short of
 * reviewers — decided under the contribution's row lock. The random draw calls it; tests call it to
 * assign a given contribution. Returns the assignment, or null when it is not (or no longer) assignable.
 */
export async function assignTo(tx: Tx, contributionId: string, verifierId: string): Promise<{ id: string; expiresAt: Date } | null> {
  const [c] = await tx.select({ status: contributions.status, userId: contributions.userId }).from(contributions).where(eq(contributions.id, contributionId)).for("update");
  if (!c || !isOpen(c.status) || c.userId === verifierId) return null;
  const [still] = await queryRows<{ id: string }>(tx, sql`SELECT c.id FROM contributions c WHERE c.id = ${contributionId} AND ${assignableTo(verifierId, "live")}`);
  if (!still) return null;
  const [created] = await tx
    .insert(assignments)
    .values({ contributionId, verifierId, expiresAt: sql`now() + make_interval(mins => ${getEnv().ASSIGNMENT_MINUTES})` })
    .returning({ id: assignments.id, expiresAt: assignments.expiresAt });
  return created!;
}

/** Live assignments past their time become expired (their contributions are back in the pool). */
async function expireOwn(tx: Tx, verifierId: string): Promise<void> {
  await tx
    .update(assignments)
    .set({ status: "expired", closedAt: sql`now()` })
    .where(and(eq(assignments.verifierId, verifierId), eq(assignments.status, "live"), sql`${assignments.expiresAt} <= now()`));
}

export interface ClaimResult {
  /** The new assignment; null when nothing they may review needs reviewers, or they hold the most allowed. */
  assignment: Assignment | null;
  /** They already hold MAX_OPEN_ASSIGNMENTS: vote on or skip one first. */
  full: boolean;
}

/** The verifier's next assignment, drawn at random among what needs reviewers. */
export async function claimNext(verifierId: string): Promise<ClaimResult> {
  const max = getEnv().MAX_OPEN_ASSIGNMENTS;
  return getDb().transaction(async (tx) => {
    // One claim per verifier at a time: concurrent claims cannot both pass the MAX_OPEN_ASSIGNMENTS count.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, verifierId)).for("update");
    await expireOwn(tx, verifierId);
    const held = await tx.$count(assignments, and(eq(assignments.verifierId, verifierId), eq(assignments.status, "live")));
    if (held >= max) return { assignment: null, full: true };
    // A window of candidates around a random point, tried in ascending id order: every claim takes
    // contribution row locks in one global order, so concurrent claims never deadlock.
    const pivot = randomUUID();
    const window = [...(await candidates(tx, verifierId, pivot, true, 5)), ...(await candidates(tx, verifierId, pivot, false, 5))].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const c of window) {
      const created = await assignTo(tx, c.id, verifierId);
      if (created) return { assignment: { id: created.id, contributionId: c.id, title: c.title, fileType: c.file_type, expiresAt: created.expiresAt }, full: false };
    }
    return { assignment: null, full: false };
  });
}

/** Gives an assignment back to the pool; the verifier is not offered that contribution again. */
export async function skipAssignment(verifierId: string, assignmentId: string): Promise<void> {
  const [skipped] = await getDb()
    .update(assignments)
    .set({ status: "skipped", closedAt: sql`now()` })
    .where(and(eq(assignments.id, assignmentId), eq(assignments.verifierId, verifierId), eq(assignments.status, "live")))
    .returning({ id: assignments.id });
  if (!skipped) throw new NotFoundError("No live assignment of yours with this id");
}

/** Inside the vote's transaction: the voter's live assignment of this contribution becomes `voted`; false when they hold none. */
export async function consumeAssignment(tx: Tx, contributionId: string, verifierId: string): Promise<boolean> {
  const [used] = await tx
    .update(assignments)
    .set({ status: "voted", closedAt: sql`now()` })
    .where(and(eq(assignments.contributionId, contributionId), eq(assignments.verifierId, verifierId), isLive()))
    .returning({ id: assignments.id });
  return !!used;
}

/** Does the verifier hold a live assignment of this contribution? (For the review page: show the form.) */
export async function holdsAssignment(contributionId: string, verifierId: string): Promise<boolean> {
  return (await getDb().$count(assignments, and(eq(assignments.contributionId, contributionId), eq(assignments.verifierId, verifierId), isLive()))) > 0;
}

/** An assignment as the API answers it. */
export const toPublicAssignment = (a: Assignment) => ({ id: a.id, contribution_id: a.contributionId, title: a.title, file_type: a.fileType, expires_at: a.expiresAt.toISOString() });
