import "server-only";

import { randomBytes } from "node:crypto";

import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";

import { isUniqueViolation } from "@/db/errors";
import { getDb, queryRows, type Tx } from "@/db/client";
import { auditLog, calibrationItems, calibrationScores, contributions, users, verifications } from "@/db/schema";
import { APPEALED_STATUS, CALIBRATION_VERDICTS, isOpen } from "@/db/vocabulary";
import { checksum } from "@/lib/checksum";
import { getEnv } from "@/lib/config/env";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { jobKind } from "@/lib/jobs/kind";

import { weightBounds } from "./settle";
import { CALIBRATION_MIN_SEEN, CALIBRATION_WINDOW, calibrationAgrees, calibrationError, voterWeight } from "./weights";

/**
 * Calibration items (issue #15 §4). An admin marks an open contribution as one, with its known
 * verdict and score range: it passes to the platform account, leaves every public list, and is
 * assigned like any other work (to CALIBRATION_VOTES voters) — nothing on it tells a verifier it is
 * a test. Its votes never decide and never pay, and stay sealed to everyone but admins. A daily
 * batch (never right after the vote, which would tell the verifier) scores each vote at least a day
 * old against the known answer and updates its voter's calibration record — items seen, verdict
 * agreement on the last CALIBRATION_WINDOW, mean absolute error — and so their weight (weights.ts):
 * below CALIBRATION_FLOOR on their last 10 (5 seen at least) it is 0, and /admin raises an alert.
 */

export const calibrationFields = z
  .object({
    knownVerdict: z.enum(CALIBRATION_VERDICTS, { error: "verified or rejected" }),
    scoreMin: z.coerce.number().int("a whole number").min(0).max(100),
    scoreMax: z.coerce.number().int("a whole number").min(0).max(100),
  })
  .refine((v) => v.scoreMin <= v.scoreMax, { path: ["scoreMax"], error: "at least the minimum" });

export type CalibrationAnswer = z.output<typeof calibrationFields>;

/** The daily batch: one job per UTC day (its dedupe key), each scheduling the next. */
export const CALIBRATION_JOB = jobKind("calibration-batch", z.object({ day: z.iso.date() }));
/** Minutes past midnight (UTC) the batch runs. */
const BATCH_MINUTE = 10;
const DAY_MS = 86_400_000;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Queues the batch of the next day that has not been queued (idempotent: one job per day). */
export async function scheduleCalibrationBatch(tx: Tx, after = new Date()): Promise<void> {
  const next = new Date(Date.parse(`${utcDay(after)}T00:00:00Z`) + DAY_MS);
  const day = utcDay(next);
  await CALIBRATION_JOB.enqueue(tx, { day }, { dedupeKey: `calibration-batch:${day}`, runAt: new Date(next.getTime() + BATCH_MINUTE * 60_000) });
}

/** The platform's own account (created once, on first use): an address nobody holds a key to. */
async function platformAccount(tx: Tx): Promise<string> {
  const address = `0x${randomBytes(20).toString("hex")}`;
  await queryRows(tx, sql`INSERT INTO ${users} (address, platform) VALUES (${address}, true) ON CONFLICT (platform) WHERE platform DO NOTHING`);
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.platform, true));
  return row!.id;
}

/** Admin: makes an open contribution a calibration item with its known answer. */
export async function markCalibration(input: { actorId: string; contributionId: string } & CalibrationAnswer): Promise<void> {
  const answer = calibrationFields.parse(input);
  try {
    await getDb().transaction(async (tx) => {
      const [c] = await tx.select({ id: contributions.id, status: contributions.status, calibration: contributions.calibration }).from(contributions).where(eq(contributions.id, input.contributionId)).for("update");
      if (!c) throw new NotFoundError("No contribution with this id");
      if (c.calibration) throw new ConflictError("This contribution is a calibration item already");
      if (!isOpen(c.status) || c.status === APPEALED_STATUS) throw new ConflictError(`Only a contribution still being verified can become a calibration item (this one is ${c.status})`);
      const owner = await platformAccount(tx);
      await tx.insert(calibrationItems).values({ contributionId: c.id, knownVerdict: answer.knownVerdict, scoreMin: answer.scoreMin, scoreMax: answer.scoreMax, markedBy: input.actorId });
      await tx.update(contributions).set({ calibration: true, userId: owner, updatedAt: sql`now()` }).where(eq(contributions.id, c.id));
      // Audited under its own entity: the contribution's public timeline must not say it is a test.
      await tx.insert(auditLog).values({ actorId: input.actorId, entityType: "calibration_item", entityId: c.id, action: "calibration.mark", details: { ...answer } });
      await scheduleCalibrationBatch(tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("The platform account already has a calibration item with the same file");
    throw error;
  }
}

const SCORE_PAGE = 500;

/** Scores up to SCORE_PAGE unscored calibration votes cast before `cutoff`; returns how many and their voters. */
async function scorePage(tx: Tx, cutoff: Date): Promise<{ scored: number; voters: string[] }> {
  const rows = await tx
    .select({ id: verifications.id, verifierId: verifications.verifierId, contributionId: verifications.contributionId, vote: verifications.voteScore, votedAt: verifications.createdAt, verdict: calibrationItems.knownVerdict, min: calibrationItems.scoreMin, max: calibrationItems.scoreMax })
    .from(verifications)
    .innerJoin(calibrationItems, eq(calibrationItems.contributionId, verifications.contributionId))
    .leftJoin(calibrationScores, eq(calibrationScores.verificationId, verifications.id))
    .where(and(isNull(calibrationScores.verificationId), isNotNull(verifications.verifierId), isNotNull(verifications.voteScore), lt(verifications.createdAt, cutoff)))
    .orderBy(asc(verifications.createdAt), asc(verifications.id))
    .limit(SCORE_PAGE);
  if (rows.length === 0) return { scored: 0, voters: [] };
  const threshold = getEnv().VERIFICATION_THRESHOLD;
  await tx
    .insert(calibrationScores)
    .values(rows.map((r) => ({ verificationId: r.id, verifierId: r.verifierId!, contributionId: r.contributionId, agrees: calibrationAgrees(r.vote!, r.verdict === "verified", threshold), error: calibrationError(r.vote!, r.min, r.max), votedAt: r.votedAt })))
    .onConflictDoNothing();
  return { scored: rows.length, voters: [...new Set(rows.map((r) => r.verifierId!))] };
}

const belowFloor = (seen: number, agreement: number | null, floor: number) => seen >= CALIBRATION_MIN_SEEN && agreement !== null && agreement < floor;

/**
 * Recomputes these verifiers' calibration records from their scored votes, and their weights; those
 * who fall below the floor now get an audit entry (the admins' alert). Three statements.
 */
async function updateRecords(tx: Tx, verifierIds: string[]): Promise<number> {
  const records = await queryRows<{ id: string; agreement: number | null; was_seen: number; was_agreement: number | null; seen: number; recent: number; mae: number }>(
    tx,
    sql`SELECT u.id, u.agreement, u.calibration_seen AS was_seen, u.calibration_agreement AS was_agreement, s.seen, s.mae,
        (SELECT avg(CASE WHEN r.agrees THEN 1 ELSE 0 END)::float8 FROM (SELECT agrees FROM calibration_scores r
          WHERE r.verifier_id = u.id ORDER BY r.voted_at DESC LIMIT ${CALIBRATION_WINDOW}) r) AS recent
      FROM users u JOIN (SELECT verifier_id, count(*)::int AS seen, avg(error)::float8 AS mae FROM calibration_scores
        WHERE verifier_id IN (${sql.join(verifierIds.map((id) => sql`${id}::uuid`), sql`, `)}) GROUP BY verifier_id) s ON s.verifier_id = u.id`,
  );
  if (records.length === 0) return 0;
  const bounds = weightBounds();
  const rows = records.map((r) => {
    const calibration = { seen: r.seen, recentAgreement: r.recent, meanAbsoluteError: r.mae };
    return sql`(${r.id}::uuid, ${r.seen}::int, ${r.recent}::float8, ${r.mae}::float8, ${voterWeight({ agreement: r.agreement, calibration }, bounds)}::float8)`;
  });
  await tx.execute(sql`UPDATE ${users} u SET calibration_seen = v.seen, calibration_agreement = v.recent, calibration_error = v.mae, vote_weight = v.weight, updated_at = now()
    FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(id, seen, recent, mae, weight) WHERE u.id = v.id`);
  const fell = records.filter((r) => belowFloor(r.seen, r.recent, bounds.calibrationFloor) && !belowFloor(r.was_seen, r.was_agreement, bounds.calibrationFloor));
  if (fell.length) {
    await tx.insert(auditLog).values(
      fell.map((r) => ({ actorKind: "system", entityType: "user", entityId: r.id, action: "calibration.below_floor", reason: `calibration verdict agreement ${r.recent} on the last ${CALIBRATION_WINDOW} items is below ${bounds.calibrationFloor}: weight 0 until it recovers`, details: { seen: r.seen, agreement: r.recent, mae: r.mae } })),
    );
  }
  return fell.length;
}

export interface BatchResult {
  /** Calibration votes scored by this run. */
  scored: number;
  /** Verifiers whose records it updated. */
  verifiers: number;
  /** Verifiers who fell below CALIBRATION_FLOOR in this run (each has an audit entry). */
  fellBelowFloor: number;
}

/**
 * The daily batch: scores every calibration vote cast before `cutoff` (by default the start of the
 * previous UTC day, so a vote is scored one to two days after it was cast) and updates its voter's
 * record and weight, a page of votes per transaction. Idempotent: a vote is scored once.
 */
export async function runCalibrationBatch(cutoff = new Date(Date.parse(`${utcDay(new Date())}T00:00:00Z`) - DAY_MS)): Promise<BatchResult> {
  const result: BatchResult = { scored: 0, verifiers: 0, fellBelowFloor: 0 };
  const touched = new Set<string>();
  for (;;) {
    const page = await getDb().transaction(async (tx) => {
      const scored = await scorePage(tx, cutoff);
      return scored.scored ? { ...scored, fell: await updateRecords(tx, scored.voters) } : null;
    });
    if (!page) break;
    result.scored += page.scored;
    result.fellBelowFloor += page.fell;
    page.voters.forEach((v) => touched.add(v));
  }
  result.verifiers = touched.size;
  return result;
}

/** The job's handler: the day's batch, then the next day's is queued. */
export const calibrationBatchJob = CALIBRATION_JOB.handler(async ({ day }) => {
  await runCalibrationBatch(new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS));
  await getDb().transaction((tx) => scheduleCalibrationBatch(tx, new Date(Date.parse(`${day}T00:00:00Z`))));
});

export interface CalibrationView {
  /** The known answer, when it is a calibration item. */
  answer: CalibrationAnswer | null;
  votes: number;
  votesWanted: number;
}

/** For an admin's view of a contribution: its calibration answer, if any. */
export async function calibrationView(contributionId: string, votes: number): Promise<CalibrationView> {
  const [answer] = await getDb()
    .select({ knownVerdict: calibrationItems.knownVerdict, scoreMin: calibrationItems.scoreMin, scoreMax: calibrationItems.scoreMax })
    .from(calibrationItems)
    .where(eq(calibrationItems.contributionId, contributionId));
  return { answer: answer ?? null, votes, votesWanted: getEnv().CALIBRATION_VOTES };
}

export interface CalibrationRecordRow {
  address: string;
  seen: number;
  /** Verdict agreement on the last CALIBRATION_WINDOW items (0–1). */
  agreement: number;
  meanAbsoluteError: number;
  weight: number;
  /** Weight 0 until it recovers: CALIBRATION_MIN_SEEN seen and agreement below CALIBRATION_FLOOR. */
  belowFloor: boolean;
}

/** Verifiers' calibration records, lowest agreement first (those below the floor lead: the admins' alert). */
export async function calibrationRecords(limit = 50): Promise<CalibrationRecordRow[]> {
  const floor = getEnv().CALIBRATION_FLOOR;
  const rows = await getDb()
    .select({ address: users.address, seen: users.calibrationSeen, agreement: users.calibrationAgreement, mae: users.calibrationError, weight: users.voteWeight })
    .from(users)
    .where(sql`${users.calibrationSeen} > 0`)
    .orderBy(asc(users.calibrationAgreement), asc(users.id))
    .limit(limit);
  return rows.map((r) => ({
    address: checksum(r.address),
    seen: r.seen,
    agreement: r.agreement ?? 0,
    meanAbsoluteError: Math.round((r.mae ?? 0) * 10) / 10,
    weight: r.weight,
    belowFloor: belowFloor(r.seen, r.agreement, floor),
  }));
}

export interface CalibrationItemRow extends CalibrationAnswer {
  contributionId: string;
  title: string;
  votes: number;
  scored: number;
}

/** Calibration items, newest first, with their votes in and scored so far. */
export async function calibrationItemList(limit = 50): Promise<CalibrationItemRow[]> {
  return getDb()
    .select({
      contributionId: calibrationItems.contributionId,
      title: contributions.title,
      knownVerdict: calibrationItems.knownVerdict,
      scoreMin: calibrationItems.scoreMin,
      scoreMax: calibrationItems.scoreMax,
      votes: contributions.verificationCount,
      scored: sql<number>`(SELECT count(*)::int FROM ${calibrationScores} s WHERE s.contribution_id = ${calibrationItems.contributionId})`,
    })
    .from(calibrationItems)
    .innerJoin(contributions, eq(contributions.id, calibrationItems.contributionId))
    .orderBy(desc(calibrationItems.createdAt), desc(calibrationItems.contributionId))
    .limit(limit);
}
