import { describe, expect, it } from "vitest";

import { round, toNumber, toNumberOrNull } from "./numeric";

describe("numeric helpers", () => {
  it("convert driver strings, numbers and bigints", () => {
    expect(toNumber("12.50")).toBe(12.5);
    expect(toNumber(7)).toBe(7);
    expect(toNumber(10n)).toBe(10);
    expect(toNumber(null)).toBe(0);
    expect(toNumber(undefined)).toBe(0);
    expect(toNumberOrNull(null)).toBeNull();
    expect(toNumberOrNull("0")).toBe(0);
  });

  it("reject what is not a number instead of returning NaN", () => {
    expect(() => toNumber("abc")).toThrow(TypeError);
    expect(() => toNumber("Infinity")).toThrow(TypeError);
  });

  it("round half away from zero", () => {
    expect(round(1.005 + 1e-12)).toBe(1.01);
    expect(round(2.345, 2)).toBe(2.35);
    expect(round(-2.345, 2)).toBe(-2.35);
    expect(round(12.3456, 0)).toBe(12);
  });
});
