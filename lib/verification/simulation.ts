/**
 * The consensus simulation behind `npm run bench -- consensus` (issue #15 §6): fixed parameters, so a
 * goal cannot be met by tuning the scenario. It runs the real `aggregate`, `voterWeight` and
 * `nextAgreement`, and compares them with the plain average of public votes that came before.
 */
import { aggregate } from "./aggregate";
import { calibrationAgrees, calibrationError, nextAgreement, voterWeight, type CalibrationRecord, type WeightBounds } from "./weights";

export const SIMULATION = {
  contributions: 2000,
  verifiers: 60,
  humansPerContribution: 4,
  calibrationItems: 10,
  aiNoise: 15,
  honestNoise: 10,
  lazyDefault: 70,
  ringOwnedShare: 0.2,
  ringFriend: 95,
  ringStranger: 20,
  adversaryShares: [0, 0.1, 0.2, 0.3, 0.4],
  seeds: [1, 2, 3, 4, 5],
} as const;

export type Behaviour = "honest" | "lazy" | "ring" | "random";

export interface RuleSettings {
  threshold: number;
  minVerifications: number;
  minDecisionWeight: number;
  aiWeight: number;
  bounds: WeightBounds;
}

export interface RuleOutcome {
  /** Share of contributions whose verdict matched the ground truth's (undecided ones count as wrong). */
  accuracy: number;
  /** Mean absolute error of the final score against the ground truth. */
  scoreError: number;
  /** Reviews assigned beyond the first four because the decision weight was not reached. */
  extraReviews: number;
  undecided: number;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}
type Rng = ReturnType<typeof rng>;

const vote = (x: number) => Math.min(100, Math.max(0, Math.round(x)));

interface Verifier {
  behaviour: Behaviour;
  agreement: number | null;
  calibration: CalibrationRecord | null;
}

interface World {
  verifiers: Verifier[];
  contributions: { truth: number; ringOwned: boolean; owner: number | null }[];
}

function buildWorld(seed: number, adversaryShare: number): World {
  const r = rng(seed * 7919 + Math.round(adversaryShare * 100));
  const each = Math.round((SIMULATION.verifiers * adversaryShare) / 3);
  const behaviours: Behaviour[] = [
    ...Array<Behaviour>(each).fill("lazy"),
    ...Array<Behaviour>(each).fill("ring"),
    ...Array<Behaviour>(each).fill("random"),
  ];
  while (behaviours.length < SIMULATION.verifiers) behaviours.push("honest");
  const verifiers = behaviours.map((behaviour) => ({ behaviour, agreement: null, calibration: null }));
  const ring = verifiers.flatMap((v, i) => (v.behaviour === "ring" ? [i] : []));
  const contributions = Array.from({ length: SIMULATION.contributions }, () => {
    const truth = r.next() * 100;
    const ringOwned = ring.length > 0 && r.next() < SIMULATION.ringOwnedShare;
    return { truth, ringOwned, owner: ringOwned ? ring[Math.floor(r.next() * ring.length)]! : null };
  });
  return { verifiers, contributions };
}

/** What a verifier votes; `visible` is the running average they can read (null when ballots are sealed). */
function castBy(v: Verifier, truth: number, ringOwned: boolean, visible: number | null, r: Rng): number {
  switch (v.behaviour) {
    case "honest":
      return vote(truth + SIMULATION.honestNoise * r.normal());
    case "lazy":
      return visible ?? SIMULATION.lazyDefault;
    case "ring":
      return ringOwned ? SIMULATION.ringFriend : SIMULATION.ringStranger;
    case "random":
      return vote(r.next() * 100);
  }
}

/** `count` distinct verifiers, none of them the owner or already chosen. */
function draw(r: Rng, pool: number, exclude: Set<number>, count: number): number[] {
  const out: number[] = [];
  while (out.length < count && exclude.size < pool) {
    const i = Math.floor(r.next() * pool);
    if (exclude.has(i)) continue;
    exclude.add(i);
    out.push(i);
  }
  return out;
}

function calibrate(world: World, settings: RuleSettings, r: Rng): void {
  for (const v of world.verifiers) {
    let agree = 0;
    let error = 0;
    for (let k = 0; k < SIMULATION.calibrationItems; k++) {
      const truth = r.next() * 100;
      const cast = castBy(v, truth, false, null, r);
      if (calibrationAgrees(cast, truth >= settings.threshold, settings.threshold)) agree += 1;
      error += calibrationError(cast, truth, truth);
    }
    const n = SIMULATION.calibrationItems;
    v.calibration = { seen: n, recentAgreement: agree / n, meanAbsoluteError: error / n };
  }
}

function summarise(hits: number, errors: number, extra: number, undecided: number): RuleOutcome {
  const n = SIMULATION.contributions;
  return { accuracy: hits / n, scoreError: errors / n, extraReviews: extra, undecided };
}

/**
 * Before: every vote public and equal; the score is the plain mean of the AI and four humans. With
 * `picked`, reviewers chose their work as they could before assignments: the ring's members take
 * their friends' contributions first (the rest are drawn at random as after).
 */
export function runPlainAverage(seed: number, adversaryShare: number, settings: RuleSettings, picked = true): RuleOutcome {
  const world = buildWorld(seed, adversaryShare);
  const r = rng(seed * 104729 + 1);
  const ring = world.verifiers.flatMap((v, i) => (v.behaviour === "ring" ? [i] : []));
  let hits = 0;
  let errors = 0;
  for (const c of world.contributions) {
    const exclude = new Set(c.owner === null ? [] : [c.owner]);
    const votes = [vote(c.truth + SIMULATION.aiNoise * r.normal())];
    const friends = picked && c.ringOwned ? ring.filter((i) => i !== c.owner).slice(0, SIMULATION.humansPerContribution) : [];
    for (const i of friends) exclude.add(i);
    const reviewers = [...friends, ...draw(r, SIMULATION.verifiers, exclude, SIMULATION.humansPerContribution - friends.length)];
    for (const i of reviewers) {
      const visible = votes.reduce((s, x) => s + x, 0) / votes.length;
      votes.push(castBy(world.verifiers[i]!, c.truth, c.ringOwned, Math.round(visible), r));
    }
    const score = votes.reduce((s, x) => s + x, 0) / votes.length;
    if (score >= settings.threshold === c.truth >= settings.threshold) hits += 1;
    errors += Math.abs(score - c.truth);
  }
  return summarise(hits, errors, 0, 0);
}

/** After: sealed ballots, calibrated weights, the robust aggregate, assignments until the weight is in. */
export function runSealedWeighted(seed: number, adversaryShare: number, settings: RuleSettings): RuleOutcome {
  const world = buildWorld(seed, adversaryShare);
  const r = rng(seed * 104729 + 2);
  calibrate(world, settings, r);
  let hits = 0;
  let errors = 0;
  let extra = 0;
  let undecided = 0;
  for (const c of world.contributions) {
    const exclude = new Set(c.owner === null ? [] : [c.owner]);
    const ballots = [{ score: vote(c.truth + SIMULATION.aiNoise * r.normal()), weight: settings.aiWeight }];
    const voters: { i: number; score: number }[] = [];
    const assign = (count: number) => {
      for (const i of draw(r, SIMULATION.verifiers, exclude, count)) {
        const v = world.verifiers[i]!;
        const score = castBy(v, c.truth, c.ringOwned, null, r);
        ballots.push({ score, weight: voterWeight(v, settings.bounds) });
        voters.push({ i, score });
      }
    };
    assign(SIMULATION.humansPerContribution);
    const weightIn = () => ballots.reduce((s, b) => s + b.weight, 0);
    while ((ballots.length < settings.minVerifications || weightIn() < settings.minDecisionWeight) && exclude.size < SIMULATION.verifiers) {
      assign(1);
      extra += 1;
    }
    if (ballots.length < settings.minVerifications || weightIn() < settings.minDecisionWeight) {
      undecided += 1;
      continue;
    }
    const result = aggregate(ballots);
    if (result.score >= settings.threshold === c.truth >= settings.threshold) hits += 1;
    errors += Math.abs(result.score - c.truth);
    for (const { i, score } of voters) world.verifiers[i]!.agreement = nextAgreement(world.verifiers[i]!.agreement, score, result.score);
  }
  return summarise(hits, errors, extra, undecided);
}

export interface SimulationRow {
  adversaryShare: number;
  plain: RuleOutcome;
  /** The plain average had reviewers been drawn at random: what assignment alone would change. */
  plainAssigned: RuleOutcome;
  sealed: RuleOutcome;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const meanOutcome = (outs: RuleOutcome[]): RuleOutcome => ({
  accuracy: mean(outs.map((o) => o.accuracy)),
  scoreError: mean(outs.map((o) => o.scoreError)),
  extraReviews: mean(outs.map((o) => o.extraReviews)),
  undecided: mean(outs.map((o) => o.undecided)),
});

/** Every adversary share, each the mean over the five seeds. */
export function simulate(settings: RuleSettings): SimulationRow[] {
  return SIMULATION.adversaryShares.map((share) => ({
    adversaryShare: share,
    plain: meanOutcome(SIMULATION.seeds.map((seed) => runPlainAverage(seed, share, settings))),
    plainAssigned: meanOutcome(SIMULATION.seeds.map((seed) => runPlainAverage(seed, share, settings, false))),
    sealed: meanOutcome(SIMULATION.seeds.map((seed) => runSealedWeighted(seed, share, settings))),
  }));
}
