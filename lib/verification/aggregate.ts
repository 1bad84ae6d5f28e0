/**
 * The verdict's arithmetic, in one pure function that `castVote` and `npm run bench -- consensus`
 * both call. No database, no settings read here: callers pass the weights and bounds.
 *
 * Rule (README "Verification, consensus and rewards" has a worked example): take the weighted
 * median of the votes, clip every vote to within CLIP_DISTANCE points of it, then take the weighted
 * mean of the clipped votes. The median alone throws away honest voters' spread (it is a noisier
 * estimate when everyone is honest); the plain mean lets one extreme vote drag the score by
 * (distance × its share of the weight). Clipped, a vote counts at most CLIP_DISTANCE points away
 * from the median, so its pull is bounded by about CLIP_DISTANCE × its weight share, whatever it says.
 */

/** How far from the weighted median a vote still counts at face value. */
export const CLIP_DISTANCE = 20;

export interface Ballot {
  score: number;
  weight: number;
  subScores?: Record<string, number>;
}

export interface Aggregate {
  /** The final score, 0–100, two decimals. */
  score: number;
  /** The weighted median the votes were clipped toward. */
  median: number;
  /** Summed weight of the ballots. */
  weight: number;
  /** How many votes were clipped. */
  clipped: number;
  /** Per-criterion weighted means of the sub-scores (same weights, no clipping: they explain, not decide). */
  criteria: Record<string, number>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Weighted median: the smallest score at which the cumulative weight reaches half the total; on an
 * exact half, the midpoint with the next score. With no weight at all, the plain median.
 */
export function weightedMedian(ballots: readonly Ballot[]): number {
  if (ballots.length === 0) return 0;
  const total = ballots.reduce((s, b) => s + b.weight, 0);
  const usable = total > 0 ? ballots : ballots.map((b) => ({ ...b, weight: 1 }));
  const half = (total > 0 ? total : ballots.length) / 2;
  const sorted = [...usable].sort((a, b) => a.score - b.score);
  let cumulative = 0;
  for (let i = 0; i < sorted.length; i++) {
    cumulative += sorted[i]!.weight;
    if (Math.abs(cumulative - half) < 1e-9 && i + 1 < sorted.length) return (sorted[i]!.score + sorted[i + 1]!.score) / 2;
    if (cumulative > half) return sorted[i]!.score;
  }
  return sorted[sorted.length - 1]!.score;
}

function criteriaMeans(ballots: readonly Ballot[]): Record<string, number> {
  const sums = new Map<string, { weighted: number; weight: number; plain: number; n: number }>();
  for (const b of ballots) {
    for (const [name, value] of Object.entries(b.subScores ?? {})) {
      const s = sums.get(name) ?? { weighted: 0, weight: 0, plain: 0, n: 0 };
      s.weighted += value * b.weight;
      s.weight += b.weight;
      s.plain += value;
      s.n += 1;
      sums.set(name, s);
    }
  }
  const out: Record<string, number> = {};
  for (const [name, s] of [...sums].sort(([a], [b]) => a.localeCompare(b))) out[name] = round2(s.weight > 0 ? s.weighted / s.weight : s.plain / s.n);
  return out;
}

export function aggregate(ballots: readonly Ballot[]): Aggregate {
  const median = weightedMedian(ballots);
  const weight = ballots.reduce((s, b) => s + b.weight, 0);
  let clipped = 0;
  let weighted = 0;
  let plain = 0;
  for (const b of ballots) {
    const kept = Math.min(median + CLIP_DISTANCE, Math.max(median - CLIP_DISTANCE, b.score));
    if (kept !== b.score) clipped += 1;
    weighted += kept * b.weight;
    plain += kept;
  }
  const score = ballots.length === 0 ? 0 : weight > 0 ? weighted / weight : plain / ballots.length;
  return { score: round2(score), median: round2(median), weight: round2(weight), clipped, criteria: criteriaMeans(ballots) };
}
