import "server-only";

import { eq, inArray, sql, type SQL } from "drizzle-orm";

import { queryRows, type Tx } from "@/db/client";
import { toNumber } from "@/db/numeric";
import { contributions, rewards, users } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { rewardAmount } from "@/lib/rewards/formula";

import { nextAgreement, rescoreCorrection, reputationDelta, voterWeight, type CalibrationRecord, type WeightBounds } from "./weights";

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

export interface Settled {
  reward: { id: string; amount: string } | null;
  /** What the contributor's reputation actually moved by (never below 0): an overturning appeal gives it back exactly. */
  ownerDelta: number;
}

/**
 * The consequences of a decision, inside the deciding transaction: the reward (once — unique per
 * contribution; none for duplicates or rejected work), the contributor's reputation, and every human
 * voter's reputation, agreement and weight, moved by how close their revealed vote came.
 */
export async function settle(tx: Tx, d: Settlement): Promise<Settled> {
  const reward = d.verified && !d.duplicate ? await createReward(tx, d) : null;
  const ownerDelta = await moveReputation(tx, d.ownerId, d.verified ? REPUTATION.contributorVerified : REPUTATION.contributorRejected);
  await rescoreVoters(tx, d.ballots, d.quality);
  return { reward, ownerDelta };
}

/** Adds `delta` to a person's reputation (never below 0); returns the change applied. */
export async function moveReputation(tx: Tx, userId: string, delta: number): Promise<number> {
  const [row] = await queryRows<{ applied: number }>(tx, sql`
    UPDATE ${users} u SET reputation = greatest(0, u.reputation + ${delta}::float8), updated_at = now()
    FROM (SELECT reputation FROM ${users} WHERE id = ${userId}) AS before
    WHERE u.id = ${userId} RETURNING (u.reputation - before.reputation)::float8 AS applied`);
  return Number(row?.applied ?? 0);
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
    .onConflictDoNothing({ target: rewards.contributionId, where: sql`kind = 'verification'` })
    .returning({ id: rewards.id });
  return created ? { id: created.id, amount } : null;
}

type HumanBallot = { verifierId: string; score: number };
const humanBallots = (ballots: { verifierId: string | null; score: number }[]) => ballots.filter((b): b is HumanBallot => b.verifierId !== null);

export const weightBounds = (): WeightBounds => {
  const env = getEnv();
  return { min: env.WEIGHT_MIN, max: env.WEIGHT_MAX, calibrationFloor: env.CALIBRATION_FLOOR };
};

/** A person's calibration record as stored (null before the batch scored any item of theirs). */
export function storedCalibration(r: { calibrationSeen: number; calibrationAgreement: number | null; calibrationError: number | null }): CalibrationRecord | null {
  if (r.calibrationSeen === 0 || r.calibrationAgreement === null || r.calibrationError === null) return null;
  return { seen: r.calibrationSeen, recentAgreement: r.calibrationAgreement, meanAbsoluteError: r.calibrationError };
}

/** The voters' records, by id (one statement). */
async function recordsOf(tx: Tx, ids: string[]) {
  const rows = await tx
    .select({ id: users.id, agreement: users.agreement, calibrationSeen: users.calibrationSeen, calibrationAgreement: users.calibrationAgreement, calibrationError: users.calibrationError })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, { agreement: r.agreement, calibration: storedCalibration(r) }]));
}

/** One statement for any number of voters: reputation += delta, agreement and weight set, scored_votes += counted. */
async function writeRecords(tx: Tx, rows: SQL[], counted: 0 | 1): Promise<void> {
  await tx.execute(sql`
    UPDATE ${users} SET reputation = greatest(0, ${users.reputation} + v.delta), agreement = v.agreement,
      vote_weight = v.weight, scored_votes = ${users.scoredVotes} + ${counted}, updated_at = now()
    FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(id, delta, agreement, weight)
    WHERE ${users.id} = v.id`);
}

const recordRow = (id: string, delta: number, agreement: number, weight: number) => sql`(${id}::uuid, ${delta}::float8, ${agreement}::float8, ${weight}::float8)`;

/** Two statements whatever the panel's size: read the voters' records, write them all back. */
export async function rescoreVoters(tx: Tx, ballots: { verifierId: string | null; score: number }[], final: number): Promise<void> {
  const human = humanBallots(ballots);
  if (human.length === 0) return;
  const bounds = weightBounds();
  const records = await recordsOf(tx, human.map((b) => b.verifierId));
  const rows = human.map((b) => {
    const record = records.get(b.verifierId);
    const agreement = nextAgreement(record?.agreement ?? null, b.score, final);
    return recordRow(b.verifierId, reputationDelta(b.score, final), agreement, voterWeight({ agreement, calibration: record?.calibration }, bounds));
  });
  await writeRecords(tx, rows, 1);
}

/**
 * After an appeal: the first round's voters were scored against the first score; they now stand as
 * if scored against the final one (reputation and agreement corrected, weight recomputed).
 */
export async function rescoreFirstRound(tx: Tx, ballots: { verifierId: string | null; score: number }[], first: number, final: number): Promise<void> {
  const human = humanBallots(ballots);
  if (human.length === 0 || first === final) return;
  const bounds = weightBounds();
  const records = await recordsOf(tx, human.map((b) => b.verifierId));
  const rows = human.map((b) => {
    const record = records.get(b.verifierId);
    const fix = rescoreCorrection(b.score, first, final);
    const agreement = Math.min(1, Math.max(0, (record?.agreement ?? 0) + fix.agreement));
    return recordRow(b.verifierId, fix.reputation, agreement, voterWeight({ agreement, calibration: record?.calibration }, bounds));
  });
  await writeRecords(tx, rows, 0);
}
