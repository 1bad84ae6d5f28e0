import { getEnv } from "@/lib/config/env";
import { SIMULATION, simulate, type RuleSettings, type SimulationRow } from "@/lib/verification/simulation";

import { runEndToEnd, type EndToEndResult } from "../consensus-e2e";
import type { BenchContext, Scenario } from "../harness";

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const points = (x: number) => x.toFixed(2);

function settingsFromEnv(): RuleSettings {
  const env = getEnv();
  return {
    threshold: env.VERIFICATION_THRESHOLD,
    minVerifications: env.MIN_VERIFICATIONS,
    minDecisionWeight: env.MIN_DECISION_WEIGHT,
    aiWeight: env.AI_WEIGHT,
    bounds: { min: env.WEIGHT_MIN, max: env.WEIGHT_MAX, calibrationFloor: env.CALIBRATION_FLOOR },
  };
}

function checks(rows: SimulationRow[]) {
  const at = (share: number) => rows.find((r) => Math.abs(r.adversaryShare - share) < 1e-9)!;
  const thirty = at(0.3);
  const none = at(0);
  return [
    { label: `30 % adversaries: the new rule keeps ≥ 95 % decision accuracy (${pct(thirty.sealed.accuracy)})`, pass: thirty.sealed.accuracy >= 0.95, goal: true },
    {
      label: `30 % adversaries: it beats the plain average by ≥ 10 points (${((thirty.sealed.accuracy - thirty.plain.accuracy) * 100).toFixed(2)} points)`,
      pass: thirty.sealed.accuracy - thirty.plain.accuracy >= 0.1,
      goal: true,
    },
    {
      label: `0 % adversaries: within 1 point of the plain average (${((none.sealed.accuracy - none.plain.accuracy) * 100).toFixed(2)} points)`,
      pass: Math.abs(none.sealed.accuracy - none.plain.accuracy) <= 0.01,
      goal: true,
    },
  ];
}

function endToEndChecks(e2e: EndToEndResult) {
  return [
    { label: `end to end: every contribution decided through assignments (${e2e.decided} of 60)`, pass: e2e.decided === 60 },
    { label: "end to end: no vote's score readable by another verifier before the decision", pass: e2e.sealedWhileOpen },
    { label: "end to end: exactly one reward per verified contribution, none otherwise", pass: e2e.rewardsPerVerified },
  ];
}

/**
 * Issue #15 §6: the verdict under adversaries, by simulation with the real aggregation and weight
 * functions (lib/verification/simulation.ts holds the fixed parameters).
 */
export const consensus: Scenario = {
  name: "consensus",
  title: "Decision accuracy under adversaries: plain average of public votes vs sealed, weighted, calibrated",
  async run(ctx: BenchContext) {
    const settings = settingsFromEnv();
    const rows = simulate(settings);
    const e2e = await runEndToEnd(ctx.databaseUrl);
    return {
      columns: ["adversaries", "plain: accuracy", "plain: mean abs error", "plain, drawn at random: accuracy", "new: accuracy", "new: mean abs error", "new: extra reviews"],
      rows: rows.map((r) => [
        `${Math.round(r.adversaryShare * 100)} %`,
        pct(r.plain.accuracy),
        points(r.plain.scoreError),
        pct(r.plainAssigned.accuracy),
        pct(r.sealed.accuracy),
        points(r.sealed.scoreError),
        r.sealed.extraReviews.toFixed(1),
      ]),
      checks: [...checks(rows), ...endToEndChecks(e2e)],
      notes: [
        `${SIMULATION.contributions.toLocaleString("en")} contributions (ground truth uniform on 0–100, verified at ≥ ${settings.threshold}), ${SIMULATION.verifiers} verifiers, the AI (truth + N(0, ${SIMULATION.aiNoise})) and ${SIMULATION.humansPerContribution} humans per contribution; honest humans vote truth + N(0, ${SIMULATION.honestNoise}). Adversaries, split equally: lazy (copies the running average it can see, else ${SIMULATION.lazyDefault}), a ring (${SIMULATION.ringFriend} on its members' work — ${SIMULATION.ringOwnedShare * 100} % of contributions — and ${SIMULATION.ringStranger} on others'), random (uniform 0–100). Mean of seeds ${SIMULATION.seeds.join(", ")}.`,
        "Plain average: today's rule — every vote public (the AI's within seconds), equal weight, reviewers pick their work (the ring takes its members' contributions). The column \"drawn at random\" is the same rule with reviewers drawn at random, to show what assignment alone changes.",
        `New rule: sealed ballots (the lazy see nothing), ${SIMULATION.calibrationItems} calibration items per verifier first, weights from calibration and agreement (lib/verification/weights.ts, bounds [${settings.bounds.min}, ${settings.bounds.max}], AI ${settings.aiWeight}), the clipped weighted mean (lib/verification/aggregate.ts); decided at ≥ ${settings.minVerifications} votes and ≥ ${settings.minDecisionWeight} weight, further reviewers assigned until then ("extra reviews", per 2,000 contributions).`,
        `End to end (a fresh database, the real route handlers): 60 contributions, 20 verifiers with API keys (6 adversaries: 2 lazy, 2 ring, 2 random; no calibration items yet, so every weight starts at 1) taking assignments and voting until nothing is left: ${e2e.decided} decided by ${e2e.votes} human votes, ${(e2e.accuracy * 100).toFixed(1)} % of verdicts right, at most ${e2e.maxVotesOnOne} votes on one contribution.`,
        "Mean abs error is the mean absolute difference between the final score and the ground truth, in points.",
      ],
    };
  },
};
