import { describe, expect, it } from "vitest";

import { closeness, nextAgreement, reputationDelta, voterWeight } from "./weights";

const bounds = { min: 0, max: 3, calibrationFloor: 0.6 };

describe("voter weights", () => {
  it("starts a new verifier at 1, and keeps every weight within the bounds", () => {
    expect(voterWeight({ agreement: null }, bounds)).toBe(1);
    expect(voterWeight({ agreement: null }, { ...bounds, max: 0.5 })).toBe(0.5);
    expect(voterWeight({ agreement: 1 }, bounds)).toBe(3);
    expect(voterWeight({ agreement: 0 }, bounds)).toBe(0);
  });

  it("rises for close voters and falls to 0 for fixed-score or random ones", () => {
    // ~8 points off on average (honest, noise σ 10): the maximum.
    expect(voterWeight({ agreement: closeness(72, 80) }, bounds)).toBe(3);
    // ~30 points off (a fixed 70, or random votes): nothing.
    expect(voterWeight({ agreement: closeness(40, 70) }, bounds)).toBe(0);
    // In between, in between.
    const mid = voterWeight({ agreement: closeness(62, 80) }, bounds);
    expect(mid).toBeGreaterThan(1);
    expect(mid).toBeLessThan(3);
  });

  it("combines calibration accuracy with agreement, and zeroes a verifier below the calibration floor", () => {
    const goodCalibration = { seen: 10, recentAgreement: 0.9, meanAbsoluteError: 8 };
    expect(voterWeight({ agreement: null, calibration: goodCalibration }, bounds)).toBe(3);
    expect(voterWeight({ agreement: 0.4, calibration: goodCalibration }, bounds)).toBeLessThan(3);
    expect(voterWeight({ agreement: 0.95, calibration: { seen: 10, recentAgreement: 0.5, meanAbsoluteError: 5 } }, bounds)).toBe(0);
    // The floor waits for 5 items.
    expect(voterWeight({ agreement: null, calibration: { seen: 4, recentAgreement: 0, meanAbsoluteError: 8 } }, bounds)).toBe(3);
  });

  it("moves agreement as a moving average and reputation continuously", () => {
    expect(nextAgreement(null, 80, 80)).toBe(1);
    expect(nextAgreement(1, 30, 80)).toBeCloseTo(0.8);
    expect(reputationDelta(80, 80)).toBe(0.2);
    expect(reputationDelta(55, 80)).toBe(0);
    expect(reputationDelta(0, 80)).toBe(-0.2);
    expect(reputationDelta(75, 80)).toBeGreaterThan(reputationDelta(65, 80));
  });
});
