import { describe, expect, it } from "vitest";

import { parseLsn } from "@/db/lsn";

import { readFloorCookie, readFloorFrom } from "./read-floor";

describe("the nwu_lsn read floor", () => {
  it("is read from a Cookie header, among others, encoded or not", () => {
    expect(readFloorFrom("nwu_lsn=16/B374D848")).toBe(parseLsn("16/B374D848"));
    expect(readFloorFrom("nwu_session=abc; nwu_lsn=0/3000060; theme=dark")).toBe(parseLsn("0/3000060"));
    expect(readFloorFrom("nwu_lsn=0%2F3000060")).toBe(parseLsn("0/3000060"));
  });

  it("is no floor when absent or malformed (never an error)", () => {
    for (const header of [null, "", "nwu_session=abc", "nwu_lsn=", "nwu_lsn=junk", "nwu_lsn=1/2/3", "nwu_lsn=1/2x", "xnwu_lsn=1/2"]) expect(readFloorFrom(header)).toBeUndefined();
  });

  it("is set HttpOnly, Lax, for the whole site, Secure on https, and round-trips", () => {
    const cookie = readFloorCookie("16/B374D848", true);
    const [pair, ...attributes] = cookie.split("; ");
    expect(pair).toMatch(/^nwu_lsn=16(?:\/|%2F)B374D848$/);
    expect(attributes.map((a) => a.toLowerCase()).sort()).toEqual(["httponly", expect.stringMatching(/^max-age=\d+$/), "path=/", "samesite=lax", "secure"]);
    expect(readFloorCookie("0/1", false).toLowerCase()).not.toContain("secure");
    expect(readFloorFrom(cookie.split(";")[0])).toBe(parseLsn("16/B374D848"));
  });
});
