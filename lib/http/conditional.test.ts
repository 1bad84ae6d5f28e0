import { describe, expect, it } from "vitest";

import { evaluatePreconditions, parseEntityTags } from "./conditional";

const current = { weak: false, opaque: "bafyabc" };
const TAG = '"bafyabc"';
const evaluate = (headers: Record<string, string>, method = "GET") => evaluatePreconditions(method, new Headers(headers), current);

describe("entity-tag lists (RFC 9110 §8.8.3, §5.6.1)", () => {
  it.each([
    ["*", "*"],
    ['"a"', [{ weak: false, opaque: "a" }]],
    ['W/"a"', [{ weak: true, opaque: "a" }]],
    ['"x", W/"y" ,"z"', [{ weak: false, opaque: "x" }, { weak: true, opaque: "y" }, { weak: false, opaque: "z" }]],
    // Commas are etagc: one tag, not two.
    ['"a,b"', [{ weak: false, opaque: "a,b" }]],
    // Empty elements are allowed; malformed ones match nothing but do not hide the others.
    [', ,"a",', [{ weak: false, opaque: "a" }]],
    ['bogus, "a"', [{ weak: false, opaque: "a" }]],
    ['"a"junk, "b"', [{ weak: false, opaque: "b" }]],
    ['w/"a"', []], // W/ is case-sensitive
    ['"a b"', []], // no spaces inside an opaque-tag
    ['"unterminated', []],
    ["", []],
  ])("%j → %j", (value, expected) => {
    expect(parseEntityTags(value)).toEqual(expected);
  });
});

describe("preconditions in §13.2.2 order", () => {
  it.each<[string, Record<string, string>, string, ReturnType<typeof evaluate>]>([
    ["no conditions", {}, "GET", { outcome: "proceed", range: true }],
    // If-None-Match: weak comparison, lists, * (§13.1.2).
    ["If-None-Match exact", { "if-none-match": TAG }, "GET", { outcome: "not-modified" }],
    ["If-None-Match weak", { "if-none-match": `W/${TAG}` }, "GET", { outcome: "not-modified" }],
    ["If-None-Match in a list", { "if-none-match": `"x", ${TAG}` }, "GET", { outcome: "not-modified" }],
    ["If-None-Match *", { "if-none-match": "*" }, "GET", { outcome: "not-modified" }],
    ["If-None-Match * on HEAD", { "if-none-match": "*" }, "HEAD", { outcome: "not-modified" }],
    ["If-None-Match other", { "if-none-match": '"other"' }, "GET", { outcome: "proceed", range: true }],
    ["If-None-Match unquoted", { "if-none-match": "bafyabc" }, "GET", { outcome: "proceed", range: true }],
    // If-Match: strong comparison, * matches the existing file (§13.1.1).
    ["If-Match exact", { "if-match": TAG }, "GET", { outcome: "proceed", range: true }],
    ["If-Match in a list", { "if-match": `"x", ${TAG}` }, "GET", { outcome: "proceed", range: true }],
    ["If-Match *", { "if-match": "*" }, "GET", { outcome: "proceed", range: true }],
    ["If-Match other", { "if-match": '"other"' }, "GET", { outcome: "failed" }],
    ["If-Match weak", { "if-match": `W/${TAG}` }, "GET", { outcome: "failed" }],
    ["If-Match empty", { "if-match": "" }, "GET", { outcome: "failed" }],
    // Precedence: If-Match first, then If-None-Match.
    ["If-Match fails before If-None-Match matches", { "if-match": '"other"', "if-none-match": TAG }, "GET", { outcome: "failed" }],
    ["If-Match holds, If-None-Match matches", { "if-match": TAG, "if-none-match": TAG }, "GET", { outcome: "not-modified" }],
    // No modification date: the date conditions are ignored (§13.1.3, §13.1.4).
    ["If-Unmodified-Since in the past", { "if-unmodified-since": "Sat, 01 Jan 2000 00:00:00 GMT" }, "GET", { outcome: "proceed", range: true }],
    ["If-Modified-Since in the future", { "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" }, "GET", { outcome: "proceed", range: true }],
    ["If-None-Match other beats If-Modified-Since", { "if-none-match": '"other"', "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" }, "GET", { outcome: "proceed", range: true }],
    // If-Range: strong comparison, GET with Range only (§13.1.5).
    ["If-Range exact", { range: "bytes=0-1", "if-range": TAG }, "GET", { outcome: "proceed", range: true }],
    ["If-Range other", { range: "bytes=0-1", "if-range": '"other"' }, "GET", { outcome: "proceed", range: false }],
    ["If-Range weak", { range: "bytes=0-1", "if-range": `W/${TAG}` }, "GET", { outcome: "proceed", range: false }],
    ["If-Range a date", { range: "bytes=0-1", "if-range": "Sat, 01 Jan 2000 00:00:00 GMT" }, "GET", { outcome: "proceed", range: false }],
    ["If-Range a list", { range: "bytes=0-1", "if-range": `${TAG}, "x"` }, "GET", { outcome: "proceed", range: false }],
    ["If-Range without Range", { "if-range": '"other"' }, "GET", { outcome: "proceed", range: true }],
    ["If-None-Match before If-Range", { range: "bytes=0-1", "if-range": TAG, "if-none-match": TAG }, "GET", { outcome: "not-modified" }],
    // Any other method: a matching If-None-Match is 412, not 304.
    ["If-None-Match on PUT", { "if-none-match": "*" }, "PUT", { outcome: "failed" }],
  ])("%s", (_label, headers, method, expected) => {
    expect(evaluate(headers, method)).toEqual(expected);
  });
});
