/**
 * The strict EIP-4361 parser against SpruceID's published parsing vectors (as they are), then
 * rule by rule against the ABNF: RFC 3339 calendar times, EIP-55, RFC 3986 authority/URI/pchar,
 * the statement's character set, field order and the end of the message.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSiweMessage } from "viem/siwe";

import { UnauthorizedError } from "@/lib/errors";
import { siweText, type SiweTextFields } from "@/test/siwe";

import { formatSiweMessage } from "./siwe-format";
import { parseSiweMessage, rfc3339Instant, type SiweMessage } from "./siwe-message";

const vectors = <T>(name: string): Record<string, T> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../../test/fixtures/siwe-vectors", `${name}.json`), "utf8"));

/** SpruceID writes an absent optional field as null; ours leaves it out. */
const withoutNulls = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

function refusal(text: string): string {
  try {
    parseSiweMessage(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UnauthorizedError);
    expect((e as UnauthorizedError).status).toBe(401);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe("SpruceID parsing vectors", () => {
  const positive = vectors<{ message: string; fields: Record<string, unknown> }>("parsing_positive");
  const negative = vectors<string>("parsing_negative");
  const negativeObjects = vectors<SiweTextFields>("parsing_negative_objects");

  it("holds the vectors (19 positive, 29 negative strings, 18 negative objects)", () => {
    expect([Object.keys(positive).length, Object.keys(negative).length, Object.keys(negativeObjects).length]).toEqual([19, 29, 18]);
  });

  it.each(Object.entries(positive))("positive: %s → exactly the vector's fields", (_, v) => {
    expect(parseSiweMessage(v.message)).toStrictEqual(withoutNulls(v.fields));
    // And the message is written back byte for byte.
    expect(formatSiweMessage(parseSiweMessage(v.message))).toBe(v.message);
  });

  it.each(Object.entries(negative))("negative: %s → refused", (_, message) => {
    expect(refusal(message)).toMatch(/^Invalid SIWE message: /);
  });

  it.each(Object.entries(negativeObjects))("negative object: %s, laid out as a message → refused", (_, fields) => {
    expect(refusal(siweText(fields))).toMatch(/^Invalid SIWE message: /);
  });
});

const BASE: SiweMessage = {
  domain: "localhost:3000",
  address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
  statement: "Sign in to NWU Protocol.",
  uri: "http://localhost:3000",
  version: "1",
  chainId: 1,
  nonce: "abcdEFGH1234",
  issuedAt: "2026-12-01T08:00:00.000Z",
};
const message = (over: SiweTextFields = {}) => siweText({ ...BASE, ...over });

describe("RFC 3339 date-times, as real calendar times", () => {
  it.each([
    ["2021-09-30T16:25:24.000Z", "2021-09-30T16:25:24.000Z"],
    ["2021-09-30t16:25:24z", "2021-09-30T16:25:24.000Z"],
    ["2021-09-30T16:25:24-02:00", "2021-09-30T18:25:24.000Z"],
    ["2021-09-30T16:25:24+05:30", "2021-09-30T10:55:24.000Z"],
    ["2021-09-30T16:25:24.123456789Z", "2021-09-30T16:25:24.123Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
    // Leap seconds end a UTC day (RFC 3339 §5.7's own examples).
    ["1990-12-31T23:59:60Z", "1991-01-01T00:00:00.000Z"],
    ["1990-12-31T15:59:60-08:00", "1991-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, instant) => {
    expect(rfc3339Instant(text)?.toISOString()).toBe(instant);
  });

  it.each([
    "2025-02-31T12:00:00Z",
    "2025-02-29T12:00:00Z",
    "2100-02-29T12:00:00Z",
    "2025-04-31T12:00:00Z",
    "2025-13-01T12:00:00Z",
    "2025-00-10T12:00:00Z",
    "2025-01-00T12:00:00Z",
    "2025-01-01T24:00:00Z",
    "2025-01-01T23:60:00Z",
    "2025-01-01T12:00:60Z",
    "2025-01-01T12:00:00+24:00",
    "2025-01-01T12:00:00+05:60",
    "2025-01-01T12:00:00",
    "2025-01-01 12:00:00Z",
    "2025-1-01T12:00:00Z",
    "2025-01-01T12:00:00.Z",
    "2025-01-01T12:00Z",
    "Wed Oct 05 2011 16:48:00 GMT+0200 (CEST)",
  ])("%s names no instant, and refuses each time field", (text) => {
    expect(rfc3339Instant(text)).toBeUndefined();
    expect(refusal(message({ issuedAt: text }))).toMatch(/Issued At is not a valid RFC 3339 date-time/);
    expect(refusal(message({ expirationTime: text }))).toMatch(/Expiration Time is not a valid RFC 3339 date-time/);
    expect(refusal(message({ notBefore: text }))).toMatch(/Not Before is not a valid RFC 3339 date-time/);
  });

  it("keeps each time as written", () => {
    const times = { issuedAt: "2026-12-01t08:00:00z", expirationTime: "2026-12-01T09:00:00+01:00", notBefore: "2026-12-01T08:00:00.5-00:00" };
    expect(parseSiweMessage(message(times))).toMatchObject(times);
  });
});

describe("address: EIP-55 only", () => {
  it.each([
    ["all lowercase", BASE.address.toLowerCase(), /EIP-55/],
    ["all uppercase", `0x${BASE.address.slice(2).toUpperCase()}`, /EIP-55/],
    ["one letter's case flipped", BASE.address.replace("C02a", "c02a"), /EIP-55/],
    ["39 hex digits", BASE.address.slice(0, -1), /0x and 40 hex digits/],
    ["no 0x", BASE.address.slice(2), /0x and 40 hex digits/],
  ])("refuses %s", (_, address, rule) => {
    expect(refusal(message({ address }))).toMatch(rule);
  });
});

describe("domain and URI: RFC 3986", () => {
  it.each(["[::1]:3400", "[::cafe]", "[2001:db8::8a2e:370:7334]", "[::ffff:192.0.2.1]:443", "[v1.fe]", "user:pw@example.com:8080", "xn--nw-fka.example", "127.0.0.1"])(
    "domain %s is an authority",
    (domain) => {
      expect(parseSiweMessage(message({ domain })).domain).toBe(domain);
    },
  );

  it.each(["[::1", "[1::2::3]", "[12345::]", "[1:2:3:4:5:6:7:8:9]", "[::1]:34a", "exa mple.com", "#notrfc4501", "example.com/path", "ex%zzample"])(
    "domain %s is refused",
    (domain) => {
      expect(refusal(message({ domain }))).toMatch(/domain is not an RFC 3986 authority/);
    },
  );

  it("reads an optional scheme before the domain", () => {
    expect(parseSiweMessage(message({ scheme: "https", domain: "[::1]:3400" }))).toMatchObject({ scheme: "https", domain: "[::1]:3400" });
  });

  it.each(["http://[::1]:3400/login", "https://[::cafe]", "urn:ietf:rfc:3986", "mailto:a@b.example", "ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu", "https://a.example/p?q=1&r=a/b?#frag"])(
    "URI %s is accepted, as URI and as resource",
    (uri) => {
      expect(parseSiweMessage(message({ uri, resources: [uri] }))).toMatchObject({ uri, resources: [uri] });
    },
  );

  it.each(["", ":nope", "https://exa mple", "http://[::1/x", "http://host/%zz", "1http://a", "http://a/<b>", "https://a.example#x#y"])("URI %j is refused", (uri) => {
    expect(refusal(message({ uri }))).toMatch(/URI is not an RFC 3986 URI/);
    expect(refusal(message({ resources: ["https://ok.example", uri] }))).toMatch(/line 13: resource is not an RFC 3986 URI/);
  });
});

describe("statement", () => {
  it("is optional, and may be empty (an extra empty line, as the ABNF and SpruceID 3 read it)", () => {
    expect(parseSiweMessage(message({ statement: null }))).not.toHaveProperty("statement");
    expect(parseSiweMessage(message({ statement: "" })).statement).toBe("");
  });

  it("takes every character of its set: letters, digits, space and RFC 3986 reserved", () => {
    const statement = "Az09 -._~!$&'()*+,;=:/?#[]@";
    expect(parseSiweMessage(message({ statement })).statement).toBe(statement);
  });

  it.each([
    ["a line break", "one\ntwo", /single line/],
    ["non-ASCII", "Connexion à NWU", /outside EIP-4361's set/],
    ["an emoji", "Sign in 🔑", /outside EIP-4361's set/],
    ["a double quote (outside the set, as in SpruceID)", 'Say "hi"', /outside EIP-4361's set/],
    ["a percent sign", "100% yours", /outside EIP-4361's set/],
    ["a tab", "a\tb", /outside EIP-4361's set/],
    ["a carriage return", "a\rb", /outside EIP-4361's set/],
  ])("with %s is refused", (_, statement, rule) => {
    expect(refusal(message({ statement }))).toMatch(rule);
  });
});

describe("the other fields", () => {
  it.each([
    ["Version 2", { version: "2" }, /Version must be 1/],
    ["Chain ID in hex", { chainId: "0x1" }, /Chain ID must be decimal digits/],
    ["Chain ID negative", { chainId: "-1" }, /Chain ID must be decimal digits/],
    ["Chain ID beyond 2^53", { chainId: "9007199254740993" }, /Chain ID is too large/],
    ["a 7-character nonce", { nonce: "abc1234" }, /Nonce/],
    ["a nonce with a dash", { nonce: "abcd-efgh" }, /Nonce/],
    ["a Request ID with a space", { requestId: "req 1" }, /Request ID may hold only RFC 3986 pchar/],
    ["a Request ID with a slash", { requestId: "a/b" }, /Request ID may hold only RFC 3986 pchar/],
  ])("refuses %s", (_, over, rule) => {
    expect(refusal(message(over))).toMatch(rule);
  });

  it("reads a Chain ID with leading zeros, an empty or pct-encoded Request ID, and empty Resources", () => {
    expect(parseSiweMessage(message({ chainId: "0137" })).chainId).toBe(137);
    expect(parseSiweMessage(message({ requestId: "" })).requestId).toBe("");
    expect(parseSiweMessage(message({ requestId: "a%20b:c@d" })).requestId).toBe("a%20b:c@d");
    expect(parseSiweMessage(message({ resources: [] })).resources).toEqual([]);
  });
});

describe("order and end of the message", () => {
  const full = message({ expirationTime: "2026-12-01T09:00:00Z", notBefore: "2026-12-01T08:00:00Z", requestId: "r1", resources: ["https://a.example"] });
  const lines = full.split("\n");

  it("reads every field of a full message", () => {
    expect(parseSiweMessage(full)).toMatchObject({ expirationTime: "2026-12-01T09:00:00Z", notBefore: "2026-12-01T08:00:00Z", requestId: "r1", resources: ["https://a.example"] });
  });

  it("refuses each adjacent pair of fields swapped", () => {
    for (let i = 5; i <= 12; i += 1) {
      const swapped = [...lines];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      expect(refusal(swapped.join("\n"))).toMatch(/out of order|Resources|resource/);
    }
  });

  it.each([
    ["a final line break", `${full}\n`],
    ["a line of text", `${full}\nThanks`],
    ["a field repeated", `${full}\nNonce: abcdEFGH1234`],
    ["a second Resources list", `${message({ resources: [] })}\nResources:`],
    ["CRLF line ends", full.replaceAll("\n", "\r\n")],
    ["a resource line without '- '", `${full}\nhttps://b.example`],
  ])("refuses %s", (_, text) => {
    refusal(text);
  });

  it("refuses a field label in another case", () => {
    expect(refusal(message().replace("Chain ID: ", "Chain Id: "))).toMatch(/expected "Chain ID: "/);
  });

  it("stays fast on 4 KB of hostile input (no regex backtracking blow-up)", () => {
    const attempt = (text: string) => {
      try {
        parseSiweMessage(text);
      } catch (e) {
        expect(e).toBeInstanceOf(UnauthorizedError);
      }
    };
    const started = performance.now();
    for (const junk of ["a".repeat(4000), `${"%41".repeat(1300)}%`, `[${"1:".repeat(1300)}`, "a@".repeat(2000), `${"1.".repeat(2000)}x`]) {
      attempt(`${junk} wants you to sign in with your Ethereum account:\n${BASE.address}\n\n\nURI: http://${junk}`);
      attempt(message({ uri: `http://${junk}`, requestId: junk, resources: [`https://${junk}#`, `x:${junk}?`] }));
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("what viem's createSiweMessage writes (the wallet dialog's old builder)", () => {
  const statement = fc.stringMatching(/^[A-Za-z0-9 \-._~!$&'()*+,;=:/?#@]{1,60}$/);
  const when = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });

  it("is read back field for field, and our formatter writes the same bytes", () => {
    fc.assert(
      fc.property(
        fc.record({
          statement: fc.option(statement, { nil: undefined }),
          chainId: fc.integer({ min: 1, max: 2 ** 40 }),
          nonce: fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
          issuedAt: when,
          expirationTime: fc.option(when, { nil: undefined }),
          notBefore: fc.option(when, { nil: undefined }),
          requestId: fc.option(fc.stringMatching(/^[A-Za-z0-9\-._~:@]{1,20}$/), { nil: undefined }),
          resources: fc.option(fc.array(fc.constantFrom("https://a.example/x", "ipfs://bafy", "urn:x:y"), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        }),
        (f) => {
          const text = createSiweMessage({ ...f, domain: "nwu.example:8443", address: BASE.address, uri: "https://nwu.example:8443/login", version: "1" });
          const parsed = parseSiweMessage(text);
          expect(parsed).toStrictEqual(
            withoutUndefined({
              ...f,
              domain: "nwu.example:8443",
              address: BASE.address,
              uri: "https://nwu.example:8443/login",
              version: "1",
              issuedAt: f.issuedAt.toISOString(),
              expirationTime: f.expirationTime?.toISOString(),
              notBefore: f.notBefore?.toISOString(),
            }),
          );
          expect(formatSiweMessage(parsed)).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function withoutUndefined(o: object) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
