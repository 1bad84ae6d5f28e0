import { describe, expect, it } from "vitest";

import { aggregate, CLIP_DISTANCE, weightedMedian } from "./aggregate";

describe("weighted median", () => {
  it("is the score where the cumulative weight passes half, the midpoint on an exact half", () => {
    expect(weightedMedian([{ score: 10, weight: 1 }, { score: 50, weight: 1 }, { score: 90, weight: 1 }])).toBe(50);
    expect(weightedMedian([{ score: 10, weight: 3 }, { score: 50, weight: 1 }, { score: 90, weight: 1 }])).toBe(10);
    expect(weightedMedian([{ score: 40, weight: 1 }, { score: 60, weight: 1 }])).toBe(50);
    // Zero-weight votes do not move it; with no weight at all, the plain median.
    expect(weightedMedian([{ score: 0, weight: 0 }, { score: 0, weight: 0 }, { score: 80, weight: 1 }])).toBe(80);
    expect(weightedMedian([{ score: 0, weight: 0 }, { score: 30, weight: 0 }, { score: 80, weight: 0 }])).toBe(30);
  });
});

describe("aggregate", () => {
  it("is the plain mean when votes agree (nothing clipped)", () => {
    const r = aggregate([{ score: 70, weight: 1 }, { score: 80, weight: 1 }, { score: 90, weight: 1 }]);
    expect(r).toMatchObject({ score: 80, median: 80, weight: 3, clipped: 0 });
  });

  // The README's worked example: three honest votes and one outlier of equal weight.
  it("bounds an outlier's pull by CLIP_DISTANCE × its weight share", () => {
    const honest = [{ score: 80, weight: 1 }, { score: 84, weight: 1 }, { score: 88, weight: 1 }];
    const r = aggregate([...honest, { score: 0, weight: 1 }]);
    expect(CLIP_DISTANCE).toBe(20);
    // Weighted median 82 (midpoint of 80 and 84); the 0 counts as 62: (80 + 84 + 88 + 62) / 4 = 78.5.
    expect(r).toMatchObject({ median: 82, score: 78.5, clipped: 1 });
    // The plain mean would say 63 — rejected at a threshold of 70.
    expect((80 + 84 + 88 + 0) / 4).toBe(63);
    // Whatever the outlier says, it counts at most 20 points beyond the median (which it moves by at
    // most 2 here): the score stays within (20 + 2) / 4 = 5.5 points of the honest mean (84).
    for (const outlier of [0, 30, 100, 61]) expect(Math.abs(aggregate([...honest, { score: outlier, weight: 1 }]).score - 84)).toBeLessThanOrEqual(5.5);
  });

  it("weighs votes by their weight, and a weight-0 vote changes nothing", () => {
    expect(aggregate([{ score: 60, weight: 3 }, { score: 75, weight: 1 }]).score).toBe(63.75);
    expect(aggregate([{ score: 60, weight: 1 }, { score: 100, weight: 0 }]).score).toBe(60);
  });

  it("reports per-criterion weighted means, sorted by name", () => {
    const r = aggregate([
      { score: 80, weight: 1, subScores: { security: 40, quality: 90 } },
      { score: 70, weight: 3, subScores: { quality: 70 } },
    ]);
    expect(r.criteria).toEqual({ quality: 75, security: 40 });
    expect(Object.keys(r.criteria)).toEqual(["quality", "security"]);
  });
});
