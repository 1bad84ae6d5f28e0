import { describe, expect, it } from "vitest";

import { simulate } from "./simulation";

// The defaults of lib/config/env.ts (VERIFICATION_THRESHOLD, MIN_VERIFICATIONS, MIN_DECISION_WEIGHT,
// AI_WEIGHT, WEIGHT_MIN/MAX, CALIBRATION_FLOOR): the goal must hold for what ships.
const defaults = { threshold: 70, minVerifications: 3, minDecisionWeight: 2.5, aiWeight: 0.5, bounds: { min: 0, max: 3, calibrationFloor: 0.6 } };

describe("consensus simulation (issue #15 §6, the bench's fixed parameters)", () => {
  const rows = simulate(defaults);
  const at = (share: number) => rows.find((r) => r.adversaryShare === share)!;

  it("keeps ≥ 95 % decision accuracy at 30 % adversaries, ≥ 10 points above the plain average", () => {
    expect(at(0.3).sealed.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(at(0.3).sealed.accuracy - at(0.3).plain.accuracy).toBeGreaterThanOrEqual(0.1);
  });

  it("stays within 1 point of the plain average without adversaries", () => {
    expect(Math.abs(at(0).sealed.accuracy - at(0).plain.accuracy)).toBeLessThanOrEqual(0.01);
  });

  it("degrades the plain average as adversaries grow, and not the new rule", () => {
    expect(at(0.4).plain.accuracy).toBeLessThan(at(0).plain.accuracy - 0.15);
    expect(at(0.4).sealed.accuracy).toBeGreaterThan(at(0).sealed.accuracy - 0.02);
    expect(at(0.4).sealed.scoreError).toBeLessThan(at(0.4).plain.scoreError / 2);
  });
});
