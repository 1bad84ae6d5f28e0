import { describe, expect, it } from "vitest";

import { rewardAmount } from "./formula";

describe("reward formula", () => {
  it("applies quality, type weight and bonus", () => {
    // 10 × (0.5 + 0.8 × 1.5) × 1.5 × (1 + (0.01 + 0.32 + 0)) = 10 × 1.7 × 1.5 × 1.33 = 33.915 → 33.92
    expect(rewardAmount({ quality: 80, fileType: "code", verifiedContributions: 1, averageQuality: 80, reputation: 0 })).toBe("33.92");
    // document, q=70: 10 × 1.55 × 1 × (1 + 0.02 + 0.28 + 0.1) = 21.7
    expect(rewardAmount({ quality: 70, fileType: "document", verifiedContributions: 2, averageQuality: 70, reputation: 1 })).toBe("21.70");
    // dataset, q=100, bonus capped at 1: 10 × 2 × 1.3 × 2 = 52
    expect(rewardAmount({ quality: 100, fileType: "dataset", verifiedContributions: 500, averageQuality: 100, reputation: 50 })).toBe("52.00");
  });

  it("caps each bonus term and the total", () => {
    const base = { quality: 0, fileType: "document" as const, averageQuality: 0, reputation: 0 };
    expect(rewardAmount({ ...base, verifiedContributions: 0 })).toBe("5.00");
    expect(rewardAmount({ ...base, verifiedContributions: 30 })).toBe("6.50");
    expect(rewardAmount({ ...base, verifiedContributions: 1000 })).toBe("6.50");
    expect(rewardAmount({ ...base, verifiedContributions: 0, reputation: 100 })).toBe("6.50");
  });

  it("clamps out-of-range inputs instead of producing nonsense", () => {
    expect(rewardAmount({ quality: 150, fileType: "document", verifiedContributions: -3, averageQuality: -10, reputation: -5 })).toBe("20.00");
  });
});
