import { describe, expect, it } from "vitest";

import { attachmentDisposition, parseRange } from "./range";

describe("Range parsing", () => {
  it.each([
    [null, { kind: "full" }],
    ["bytes=0-9", { kind: "partial", start: 0, end: 9 }],
    ["bytes=10-", { kind: "partial", start: 10, end: 99 }],
    ["bytes=-10", { kind: "partial", start: 90, end: 99 }],
    ["bytes=-1000", { kind: "partial", start: 0, end: 99 }],
    ["bytes=90-1000", { kind: "partial", start: 90, end: 99 }],
    ["bytes=99-99", { kind: "partial", start: 99, end: 99 }],
    ["bytes=100-", { kind: "unsatisfiable" }],
    ["bytes=100-200", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=9-3", { kind: "full" }],
    ["bytes=0-1,5-6", { kind: "full" }],
    ["items=0-1", { kind: "full" }],
    ["bytes=abc", { kind: "full" }],
    ["bytes=-", { kind: "full" }],
    // Range units are case-insensitive (RFC 9110 §14.1).
    ["Bytes=0-1", { kind: "partial", start: 0, end: 1 }],
    ["BYTES=-3", { kind: "partial", start: 97, end: 99 }],
    // range-set = 1#range-spec: empty list elements do not count; two ranges are served whole.
    ["bytes=5-6, ", { kind: "partial", start: 5, end: 6 }],
    ["bytes=,5-6", { kind: "partial", start: 5, end: 6 }],
    ["bytes=0-1 , 5-6", { kind: "full" }],
    ["bytes=", { kind: "full" }],
  ])("%s on 100 bytes → %j", (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});

describe("Content-Disposition", () => {
  it("is always an attachment, with an RFC 5987 UTF-8 name", () => {
    expect(attachmentDisposition("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('ré"sumé (1).md')).toBe(`attachment; filename="r__sum_ (1).md"; filename*=UTF-8''r%C3%A9%22sum%C3%A9%20%281%29.md`);
    expect(attachmentDisposition("\u202Egnp.exe")).toContain("filename*=UTF-8''%E2%80%AEgnp.exe");
  });
});
