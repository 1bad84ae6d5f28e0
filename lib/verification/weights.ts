/**
 * A voter's weight from their record, and how a decision moves it. Pure: `castVote` (and the daily
 * calibration batch) apply these inside their transactions; the consensus benchmark calls the same
 * functions.
 *
 * A voter's quality q (0–1) is the mean of what is known of them: their agreement with past
 * decisions (a moving average of closeness, as Yuma's bonds) and their calibration accuracy
 * (1 − mean absolute error / 50 on items with a known score). The weight is
 * 1 + WEIGHT_SLOPE × (q − NEW_QUALITY), clamped to [WEIGHT_MIN, WEIGHT_MAX]: a voter with no record
 * weighs 1, an honest one (votes ~10 points off) reaches the maximum, a random or fixed-score voter
 * (~30 points off) falls to 0. A calibration verdict agreement below CALIBRATION_FLOOR (last 10
 * items, at least 5 seen) forces 0 until it recovers.
 */

/** Closeness at which the weight stays 1 (what the slope pivots on). */
export const NEW_QUALITY = 0.6;
/** Weight gained per unit of quality above NEW_QUALITY. */
export const WEIGHT_SLOPE = 10;
/** Share of the moving average each newly scored vote takes. */
export const AGREEMENT_RATE = 0.2;
/** Calibration items counted for the verdict-agreement floor, and the fewest before it applies. */
export const CALIBRATION_WINDOW = 10;
export const CALIBRATION_MIN_SEEN = 5;
/** Points off the final score at which a vote's closeness reaches 0. */
const CLOSENESS_SPAN = 50;

export interface WeightBounds {
  min: number;
  max: number;
  calibrationFloor: number;
}

export interface CalibrationRecord {
  /** Items seen (scored by the batch). */
  seen: number;
  /** Share of the last CALIBRATION_WINDOW items whose verdict matched the known one. */
  recentAgreement: number;
  /** Mean absolute error against the items' known scores (distance to the known range; 0 inside it). */
  meanAbsoluteError: number;
}

export interface VoterRecord {
  /** Moving average of closeness; null before any decision scored them. */
  agreement: number | null;
  calibration?: CalibrationRecord | null;
}

/** 1 when a vote equals the final score, 0 at CLOSENESS_SPAN points or more away. */
export function closeness(vote: number, final: number): number {
  return Math.max(0, 1 - Math.abs(vote - final) / CLOSENESS_SPAN);
}

export function nextAgreement(previous: number | null, vote: number, final: number): number {
  const c = closeness(vote, final);
  return previous === null ? c : (1 - AGREEMENT_RATE) * previous + AGREEMENT_RATE * c;
}

export function voterWeight(record: VoterRecord, bounds: WeightBounds): number {
  const cal = record.calibration;
  if (cal && cal.seen >= CALIBRATION_MIN_SEEN && cal.recentAgreement < bounds.calibrationFloor) return 0;
  const known: number[] = [];
  if (record.agreement !== null) known.push(record.agreement);
  if (cal && cal.seen > 0) known.push(Math.max(0, 1 - cal.meanAbsoluteError / CLOSENESS_SPAN));
  const quality = known.length ? known.reduce((s, q) => s + q, 0) / known.length : NEW_QUALITY;
  const weight = 1 + WEIGHT_SLOPE * (quality - NEW_QUALITY);
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, weight)) * 1000) / 1000;
}

/** Reputation moves continuously with closeness: +0.2 for a vote on the final score, −0.2 for one 50+ points off. */
export const VERIFIER_REPUTATION_SPAN = 0.4;
export function reputationDelta(vote: number, final: number): number {
  return Math.round(VERIFIER_REPUTATION_SPAN * (closeness(vote, final) - 0.5) * 1000) / 1000;
}

/**
 * An appeal changed the final score a first-round vote was scored against: what to add to the
 * voter's reputation and agreement so they stand as if scored against the new one (the agreement
 * correction is the share that vote took of the moving average; later decisions have since decayed
 * it a little, which this ignores).
 */
export function rescoreCorrection(vote: number, first: number, final: number): { reputation: number; agreement: number } {
  return {
    reputation: Math.round((reputationDelta(vote, final) - reputationDelta(vote, first)) * 1000) / 1000,
    agreement: AGREEMENT_RATE * (closeness(vote, final) - closeness(vote, first)),
  };
}

/** Does a vote's verdict (at or above the threshold: verified) match a calibration item's known one? */
export function calibrationAgrees(vote: number, knownVerified: boolean, threshold: number): boolean {
  return vote >= threshold === knownVerified;
}

/** How far a vote lies from a calibration item's known score range (0 inside it). */
export function calibrationError(vote: number, min: number, max: number): number {
  return Math.max(0, min - vote, vote - max);
}
