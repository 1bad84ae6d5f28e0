import { describe, expect, it } from "vitest";

import { formatLsn, parseLsn } from "./lsn";

describe("LSNs", () => {
  it("parse PostgreSQL's text form and order as WAL positions do", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
    // Text order is not WAL order: 0/A0000000 is before 1/0.
    expect(parseLsn("0/A0000000")! < parseLsn("1/0")!).toBe(true);
    expect(formatLsn(parseLsn("16/B374D848")!)).toBe("16/B374D848");
  });

  it("refuse anything else", () => {
    for (const bad of ["", "16", "16/", "/1", "G/1", "1/123456789", "1/2/3", " 1/2", undefined, null]) expect(parseLsn(bad)).toBeUndefined();
  });
});
