import { describe, expect, it } from "vitest";

import { niceCeiling, shortDay, xTickIndexes } from "./bar-chart";

describe("chart axes", () => {
  it("ends the y axis on 1, 2 or 5 × 10ⁿ at or above the tallest bar", () => {
    expect([0, 1, 2, 3, 7, 10, 11, 99, 101, 4999].map(niceCeiling)).toEqual([1, 1, 2, 5, 10, 10, 20, 100, 200, 5000]);
  });

  it("names the first and last bar and a few evenly between, never one crowding the last", () => {
    expect(xTickIndexes(0)).toEqual([]);
    expect(xTickIndexes(1)).toEqual([0]);
    expect(xTickIndexes(2)).toEqual([0, 1]);
    expect(xTickIndexes(10)).toEqual([0, 3, 6, 9]);
    expect(xTickIndexes(26)).toEqual([0, 9, 18, 25]);
    expect(xTickIndexes(30)).toEqual([0, 10, 20, 29]);
    expect(xTickIndexes(90)).toEqual([0, 30, 60, 89]);
    for (let n = 1; n <= 120; n++) {
      const ticks = xTickIndexes(n);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(ticks.at(-1)).toBe(n - 1);
    }
  });

  it("shortens ISO days to month and day, in UTC", () => {
    expect(shortDay("2026-11-23")).toBe("Nov 23");
    expect(shortDay("2026-01-01")).toBe("Jan 1");
  });
});
