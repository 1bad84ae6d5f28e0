/**
 * fast-check generators of hostile request parts: junk strings (unicode, RTL overrides, NUL,
 * overlong), path params, query strings, headers, credentials, JSON and raw bodies, multipart
 * uploads and file names. Values are plain data (printed by fast-check on failure); anything that
 * needs the running app (a real session cookie, API key or contribution id) is a `Ref`, resolved
 * by the test when the request is built.
 */
import fc from "fast-check";

/** U+202E RIGHT-TO-LEFT OVERRIDE: "\u202Egnp.exe" displays as "exe.png". */
export const RLO = "\u202E";

/** Placeholders for values that exist only at run time. */
export type Ref = { ref: "contribution" | "image" | "alice" | "aliceUpper" | "aliceChecksum" };
export type Param = string | Ref;

/** Strings that have broken parsers, databases and renderers before. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\t",
  "0",
  "-1",
  "-0",
  "1.5",
  "1e309",
  "-1e309",
  "NaN",
  "Infinity",
  "0x10",
  "1_000",
  "9007199254740993",
  "99999999999999999999999999999",
  "-99999999999999999999",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "toString",
  "\u0000",
  "a\u0000b",
  "%00",
  "%",
  "%%",
  "%zz",
  "%E0%A4%A",
  "%C0%AF",
  "\\",
  "\\u0000",
  "'",
  '"',
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  "_",
  "%_%",
  "*",
  "../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "....//....//",
  `${RLO}gnp.exe`,
  `abc${RLO}def\u202C`,
  "\u200F\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
  "\u05E9\u05DC\u05D5\u05DD",
  "\uFEFF",
  "\uFFFD",
  "\uFFFF",
  "\uD800",
  "x\uDC00y",
  "\u{1D54F}\u{1F642}\u{1F469}\u200D\u{1F469}\u200D\u{1F467}",
  "e\u0301",
  "\uFF21\uFF22\uFF23",
  "\u0660\u0661\u0662",
  "<script>alert(1)</script>",
  "${7*7}",
  "{{7*7}}",
  "\r\n",
  "\n",
  "\u2028",
  "a".repeat(201),
  "x".repeat(5_001),
  "\u00e9".repeat(10_300),
];

/** Characters that plain text must survive: NUL and other controls, bidi overrides, BOM, lone surrogates. */
export const SPECIAL_CHARS = ["\u0000", "\u0001", "\u001b", "\u007f", RLO, "\u202C", "\u2066", "\u200B", "\uFEFF", "\uD800", "\uDFFF", "\u0085", "\u2028"] as const;

/** Ordinary-looking text with one special character inside: passes length checks, reaches the database. */
export const textWithSpecial: fc.Arbitrary<string> = fc
  .tuple(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom(...SPECIAL_CHARS), fc.string({ unit: "grapheme", maxLength: 12 }))
  .map(([a, c, b]) => `${a}${c}${b}`);

/** Any string a client could send: nasty constants, random unicode/binary, numbers, overlong runs. */
export const junkString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: textWithSpecial },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "\u00e9", "\u{1F642}", RLO, "\u0000", "%", "/"), fc.integer({ min: 201, max: 70_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

/** A string joined from nasty pieces and random ones (mixes RTL, NUL, emoji and ASCII in one value). */
export const mixedString: fc.Arbitrary<string> = fc.array(junkString, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(""));

const hex = (n: number) => fc.uint8Array({ minLength: Math.ceil(n / 2), maxLength: Math.ceil(n / 2) }).map((b) => Buffer.from(b).toString("hex").slice(0, n));

/** Wallet-address-like strings: valid, wrong length, wrong case/prefix, non-hex, padded, unicode digits. */
export const addressParam: fc.Arbitrary<Param> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Ref>({ ref: "alice" }, { ref: "aliceUpper" }, { ref: "aliceChecksum" }) },
  { weight: 3, arbitrary: hex(40).map((h) => `0x${h}`) },
  { weight: 2, arbitrary: hex(40).map((h) => `0x${h.toUpperCase()}`) },
  hex(40).map((h) => `0X${h}`),
  hex(40),
  fc.constantFrom(0, 1, 39, 41, 64).chain((n) => hex(n).map((h) => `0x${h}`)),
  hex(40).map((h) => `0x${h.replace(/[0-9]/g, "g")}`),
  hex(40).map((h) => `0x${h}\n`),
  hex(40).map((h) => ` 0x${h}`),
  hex(40).map((h) => `0x${h}${RLO}`),
  fc.constant(`0x${"\u0660".repeat(40)}`),
  fc.constant(`0x${"\uFF10".repeat(40)}`),
  fc.constant("0x0000000000000000000000000000000000000000"),
  junkString,
);

/** Contribution-id-like strings: uuids of every version, nil/max, decorated, truncated, junk. */
export const idParam: fc.Arbitrary<Param> = fc.oneof(
  { weight: 7, arbitrary: fc.constant<Ref>({ ref: "contribution" }) },
  { weight: 2, arbitrary: fc.uuid() },
  fc.uuid({ version: [9, 10, 11, 12, 13, 14, 15] }),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `urn:uuid:${u}`),
  fc.uuid().map((u) => u.replace(/-/g, "")),
  fc.uuid().map((u) => u.slice(0, 35)),
  fc.uuid().map((u) => `${u}\n`),
  fc.uuid().map((u) => `${u}${RLO}`),
  fc.uuid().map((u) => `${u}/../..`),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-4000-8000-000000000000"),
  junkString,
);

const b64url = (s: string) => Buffer.from(s).toString("base64url");
const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Keyset cursors: random, base64 of random JSON, and [timestamp, uuid] pairs that pass the shape check but name impossible dates. */
export const cursorValue: fc.Arbitrary<string> = fc.oneof(
  junkString,
  fc.base64String({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => b64url(JSON.stringify(v) ?? "null")),
  fc
    .tuple(
      fc.oneof(
        fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString()),
        fc
          .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom("Z", "+00", "+99:99", "-1359", ".999999Z"))
          .map(([y, mo, d, h, mi, s, z]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${z}`),
        junkString,
      ),
      fc.oneof(fc.uuid(), junkString),
    )
    .map(([t, id]) => b64url(JSON.stringify([t, id]))),
);

/** Query values: numbers of every shape, junk, cursors, enum-ish words, addresses. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  junkString,
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom("1", "50", "100", "101", "0", "-5", "1e2", "2.5", "10000000000000000000000", "0x20", " 5", "5 "),
  fc.constantFrom("pending", "verifying", "verified", "rejected", "paused", "halted", "code", "dataset", "document", "processing", "distributed", "failed", "PENDING", "video"),
  cursorValue,
  addressParam.filter((v): v is string => typeof v === "string"),
);

export type QueryPair = { key: string; value: string; raw: boolean };

/**
 * A query string: half the time a valid one (each known key from `valid`, or absent) with at most
 * one junk pair added, so the handler gets past validation; otherwise known keys with junk values,
 * unknown keys, repeats and raw percent garbage.
 */
export function queryArb(valid: Record<string, fc.Arbitrary<string>> = {}): fc.Arbitrary<QueryPair[]> {
  const knownKeys = Object.keys(valid);
  const key = knownKeys.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...knownKeys) }, { weight: 1, arbitrary: junkString }) : junkString;
  const junkPair = fc.record({ key, value: queryValue, raw: fc.boolean() });
  const random = fc.array(junkPair, { maxLength: 8 });
  if (knownKeys.length === 0) return random;
  const nearValid = fc
    .tuple(fc.record(valid, { requiredKeys: [] }), fc.array(junkPair, { maxLength: 1 }))
    .map(([ok, junk]) => [...Object.entries(ok).map(([k, v]) => ({ key: k, value: v as string, raw: false })), ...junk]);
  return fc.oneof(nearValid, random);
}

const words = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });

/** Valid values of the list routes' query keys (text keys get unusual-but-legal characters too). */
export const validQuery = {
  status: (values: readonly string[]) => fc.constantFrom(...values),
  type: fc.constantFrom("code", "dataset", "document"),
  owner: fc.oneof(hex(40).map((h) => `0x${h}`), hex(40).map((h) => `0x${h.toUpperCase()}`)),
  q: fc.oneof(words, textWithSpecial, fc.constantFrom("%", "_", "\\", "%_\\", "'", RLO)),
  cursor: fc
    .tuple(
      fc.oneof(
        fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString().replace("T", " ").replace("Z", "+00")),
        fc
          .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
          .map(([y, mo, d, h, mi, sec]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}+00`),
      ),
      fc.uuid(),
    )
    .map(([t, id]) => b64url(JSON.stringify([t, id]))),
  limit: fc.integer({ min: 1, max: 100 }).map(String),
};

/** "k=v&k=v": raw pairs keep their characters unencoded (the URL parser decides), others are form-encoded. */
export function queryString(pairs: readonly QueryPair[]): string {
  if (pairs.length === 0) return "";
  const enc = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);
  const rawPart = (s: string) => s.replace(/[#&=\u0000-\u001f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `?${pairs.map((p) => (p.raw ? `${rawPart(p.key)}=${rawPart(p.value)}` : `${enc(p.key)}=${enc(p.value)}`)).join("&")}`;
}

/** Header values must be byte strings: unicode is sent as its UTF-8 bytes (what a server reads off the wire); NUL/CR/LF cannot be sent at all. */
export const toHeaderValue = (s: string) => Buffer.from(s, "utf8").toString("latin1").replace(/[\u0000\r\n]/g, "");

const longHeader = fc
  .tuple(fc.constantFrom("A", "\u00ff", "%", ";", "=", "nwu_session=x; "), fc.integer({ min: 8 * 1024, max: 128 * 1024 }))
  .map(([c, n]) => c.repeat(Math.ceil(n / c.length)).slice(0, n));

export const headerValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: junkString.map(toHeaderValue) },
  { weight: 1, arbitrary: longHeader },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "bytes=0-0",
      "bytes=0-",
      "bytes=-1",
      "bytes=-0",
      "bytes=5-2",
      "bytes=0-1,3-4",
      "bytes=99999999999999999999-",
      "bytes=-99999999999999999999",
      "bytes=0-99999999999999999999999",
      "bytes=1e3-",
      "items=0-1",
      '"bafkrei"',
      "*",
      "W/\"x\"",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "application/json",
      "application/json; charset=utf-16",
      "text/plain",
      "-1",
      "18446744073709551616",
      "same-origin",
      "cross-site",
      "null",
      "https://evil.example",
      "localhost:3000",
      "evil.example:99999",
      "[::1",
      "chunked",
      "gzip",
    ),
  },
);

/** Header names a route might read, plus random tokens. */
export const headerName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "accept",
    "accept-encoding",
    "authorization",
    "content-type",
    "content-length",
    "content-encoding",
    "cookie",
    "host",
    "if-none-match",
    "if-range",
    "origin",
    "range",
    "referer",
    "sec-fetch-site",
    "stripe-signature",
    "user-agent",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-request-id",
  ),
  fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,40}$/),
);

export const extraHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 });

/** Who the request claims to be. `session`, `apiKey` and `agent` are real credentials resolved at run time. */
export type Auth =
  | { kind: "none" }
  | { kind: "session" }
  | { kind: "apiKey" }
  | { kind: "agent" }
  | { kind: "sessionTampered"; suffix: string }
  | { kind: "raw"; authorization?: string; cookie?: string };

const base62 = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9A-Za-z]{${min},${max}}$`));

export const junkAuthorization: fc.Arbitrary<string> = fc.oneof(
  junkString.map((s) => toHeaderValue(`Bearer nwu_${s}`)),
  base62(40, 48).map((s) => `Bearer nwu_${s}`), // the shape of a key, but no such key
  base62(0, 60).map((s) => `bearer    nwu_${s}`),
  junkString.map((s) => toHeaderValue(`Bearer ${s}`)),
  fc.base64String({ maxLength: 60 }).map((s) => `Basic ${s}`),
  fc.constantFrom("Bearer", "Bearer ", "nwu_", "Bearer nwu_", "Bearer nwu_ nwu_", "Token nwu_abc"),
  longHeader.map((s) => `Bearer nwu_${s}`),
);

export const junkCookie: fc.Arbitrary<string> = fc.oneof(
  junkString.map((s) => toHeaderValue(`nwu_session=${s}`)),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `nwu_session=${s}`), // a token's shape, no such session
  fc.constantFrom("nwu_session=%", "nwu_session=%E0%A4%A", "nwu_session=%ZZ", "nwu_session=%C0%AF", "nwu_session=", "nwu_session", "=; ;;", "nwu_session=a; nwu_session=b"),
  fc.tuple(junkString, junkString).map(([k, v]) => toHeaderValue(`${k}=${v}`)),
  longHeader,
);

export const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Auth>({ kind: "none" }) },
  { weight: 3, arbitrary: fc.constant<Auth>({ kind: "session" }) },
  { weight: 2, arbitrary: fc.constant<Auth>({ kind: "apiKey" }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: "agent" }) },
  { weight: 1, arbitrary: fc.constantFrom("x", "%", "%E0%A4", "=", ";", "\u00e9").map((suffix): Auth => ({ kind: "sessionTampered", suffix })) },
  {
    weight: 3,
    arbitrary: fc.record({ authorization: junkAuthorization, cookie: junkCookie }, { requiredKeys: [] }).map((r): Auth => ({ kind: "raw", ...r })),
  },
);

/** Origin/Sec-Fetch-Site as a browser (same), a missing header, another site, or junk. */
export type OriginChoice = { origin?: string | { ref: "same" }; secFetchSite?: string };
export const origin: fc.Arbitrary<OriginChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<OriginChoice>({ origin: { ref: "same" } }) },
  fc.constant<OriginChoice>({}),
  fc.constant<OriginChoice>({ secFetchSite: "same-origin" }),
  fc.constantFrom<OriginChoice>({ origin: "https://evil.example" }, { origin: "null" }, { origin: "http://localhost:3000.evil.example" }, { origin: "HTTP://LOCALHOST:3000" }),
  fc.record({ origin: headerValue, secFetchSite: headerValue }, { requiredKeys: [] }),
);

/** JSON values of the wrong type for any field. */
export const junkJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  junkString,
  mixedString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 0.5, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], { "": "" }),
  fc.array(junkString, { maxLength: 4 }),
  fc.dictionary(junkString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** A body as sent: JSON (of any value), raw text with some content type, or raw bytes. */
export type Body =
  | { kind: "json"; value: unknown; contentType: string | null }
  | { kind: "text"; text: string; contentType: string | null }
  | { kind: "bytes"; bytes: Uint8Array; contentType: string | null }
  | { kind: "none" };

export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("application/json") },
  fc.constant(null),
  fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/octet-stream", "*/*", ""),
  headerValue,
);

export const invalidJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", "{", "}", "[1,2", '{"a":', "nul", "undefined", "NaN", "{'a':1}", '{"a":1,}', "\uFEFF{}", "\u0000", '"\\ud800"', '{"__proto__":{"x":1}}', "1e999999"),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.integer({ min: 1, max: 50_000 }).map((n) => "[".repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
  fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => `{"message":"${"m".repeat(n)}"}`),
);

/** Any body for a JSON endpoint; `known` is a generator of plausible-but-wrong objects for its fields. */
export function bodyArb(known: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("json" as const), value: known, contentType }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("json" as const), value: junkJsonValue, contentType }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("text" as const), text: invalidJsonText, contentType }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 512 }), contentType }) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
  );
}

/** A record over `fields` where each one is sometimes valid (from `valid`), sometimes junk, sometimes absent. */
export function fieldsArb<T extends Record<string, fc.Arbitrary<unknown>>>(valid: T): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, arb] of Object.entries(valid)) model[k] = fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: junkJsonValue });
  return fc
    .tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(junkString, junkJsonValue, { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** File names: unicode, RTL override, traversal, NUL and control bytes, reserved names, 1,000+ characters. */
export const fileName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "data.csv",
    "résumé data.txt",
    `${RLO}gnp.exe`,
    `invoice${RLO}fdp.exe`,
    "../../../etc/passwd",
    "..\\..\\..\\windows\\system32\\drivers\\etc\\hosts",
    "/etc/shadow",
    "C:\\boot.ini",
    "a\u0000.txt",
    "\u0000",
    "nul\u0000byte.csv",
    "tab\tand\u0007bell.md",
    "line\r\nbreak.txt",
    "quote\".txt",
    "semi;colon=.txt",
    "",
    " ",
    ".",
    "..",
    "...",
    "CON",
    "aux.txt",
    ".htaccess",
    "e\u0301.md",
    "\uFF0E\uFF0E\uFF0Fetc",
    "\u{1F469}\u200D\u{1F469}\u200D\u{1F467}.csv",
    "\u0627\u0644\u0645\u0644\u0641.txt",
    "%2e%2e%2fetc%2fpasswd",
    "file.txt%00.png",
  ),
  junkString,
  fc.tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), fc.constantFrom(".csv", ".txt", ".md", ".py", ".json", ".exe", "")).map(([b, e]) => b + e),
  fc
    .tuple(fc.constantFrom("a", "\u00e9", "\u{1F642}", RLO, "../", "\u0627", "e\u0301"), fc.integer({ min: 1_000, max: 5_000 }), fc.constantFrom(".csv", ".txt", ""))
    .map(([c, n, e]) => c.repeat(n) + e),
);

const enc = new TextEncoder();

/** Small file contents: text that passes sniffing for some type, binary magic numbers, random bytes, empty. */
export const fileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.constantFrom("id,name\n1,a\n", "# Title\n\ntext ", "def f():\n    return 1\n# ", '{"a": 1, "n": "', "plain words "), fc.string({ maxLength: 40 })).map(([head, tail]) => enc.encode(`${head}${tail}\n`)),
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .tuple(
      fc.constantFrom([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x25, 0x50, 0x44, 0x46, 0x2d], [0x50, 0x4b, 0x03, 0x04], [0x7f, 0x45, 0x4c, 0x46], [0xff, 0xd8, 0xff], [0xef, 0xbb, 0xbf]),
      fc.uint8Array({ maxLength: 256 }),
    )
    .map(([magic, rest]) => new Uint8Array([...magic, ...rest])),
  fc.constant(new Uint8Array(0)),
);

/** Text fields of an upload: mostly plausible (so the deeper checks run), sometimes junk, NUL or RTL. */
export const uploadFieldValues: fc.Arbitrary<[string, string][]> = fc
  .record(
    {
      title: fc.oneof({ weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }) }, textWithSpecial, junkString, mixedString),
      file_type: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("code", "dataset", "document") }, junkString),
      description: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), textWithSpecial, junkString),
      metadata: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), textWithSpecial), textWithSpecial, { minKeys: 1, maxKeys: 2 }).map((o) => JSON.stringify(o)),
        fc.dictionary(junkString, junkJsonValue, { maxKeys: 3 }).map((o) => JSON.stringify(o)),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
        invalidJsonText.filter((s) => s.length < 20_000),
        junkString,
      ),
    },
    { requiredKeys: [] },
  )
  .chain((known) =>
    fc.tuple(fc.constant(Object.entries(known)), fc.array(fc.tuple(junkString, junkString), { maxLength: 3 }), fc.boolean()).map(([k, extra, extraFirst]) => (extraFirst ? [...extra, ...k] : [...k, ...extra])),
  );

export type UploadFile = { field: string; name: string; type: string; bytes: Uint8Array };

export const uploadFile: fc.Arbitrary<UploadFile> = fc.record({
  field: fc.oneof({ weight: 5, arbitrary: fc.constant("file") }, junkString),
  name: fileName,
  type: fc.oneof(fc.constantFrom("application/octet-stream", "text/csv", "image/png", "text/html", "application/x-msdownload", ""), junkString.map(toHeaderValue)),
  bytes: fileBytes,
});

/** A raw multipart part: its Content-Disposition is written by hand (quoted, RFC 5987 `filename*`, unquoted, or broken). */
export type RawPart = {
  name: string;
  filename?: { style: "quoted" | "star" | "both" | "unquoted" | "star-junk"; value: string };
  contentType?: string;
  body: Uint8Array;
};

export type Multipart =
  | { kind: "form"; fields: [string, string][]; files: UploadFile[]; filesFirst: boolean }
  | { kind: "raw"; boundary: string; headerBoundary: string | null; parts: RawPart[]; preamble: string; close: boolean; lf: boolean };

const boundary = fc.oneof(fc.stringMatching(/^[A-Za-z0-9'()+_,.\/:=? -]{1,70}$/).filter((b) => !b.endsWith(" ")), fc.constantFrom("x", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a".repeat(200)));

export const rawPart: fc.Arbitrary<RawPart> = fc.record(
  {
    name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("file", "title", "file_type", "description", "metadata") }, junkString),
    filename: fc.record({ style: fc.constantFrom("quoted", "star", "both", "unquoted", "star-junk"), value: fileName }),
    contentType: fc.oneof(fc.constantFrom("text/plain", "application/octet-stream", "text/csv; charset=utf-8"), headerValue),
    body: fc.oneof(fileBytes, fc.constantFrom("dataset", "document", "code", "A title").map((s) => enc.encode(s))),
  },
  { requiredKeys: ["name", "body"] },
);

/** A well-formed upload whose type, bytes and fields are acceptable, with hostile-but-legal text and file names. */
export const plausibleUpload: fc.Arbitrary<Extract<Multipart, { kind: "form" }>> = fc
  .record({
    kind: fc.constantFrom(
      { type: "dataset", head: "id,name\n1,a\n", ext: ".csv" },
      { type: "document", head: "# Title\n\ntext ", ext: ".md" },
      { type: "code", head: "def f():\n    return 1\n# ", ext: ".py" },
    ),
    title: fc.oneof(words, textWithSpecial, fc.constant(`${RLO}gnp.exe`)),
    description: fc.option(fc.oneof(words, textWithSpecial)),
    metadata: fc.option(
      fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        fc.dictionary(fc.oneof(words, textWithSpecial), textWithSpecial, { minKeys: 1, maxKeys: 2 }),
      ),
    ),
    tail: fc.string({ maxLength: 40 }),
    name: fileName,
    keepExt: fc.boolean(),
    contentType: fc.constantFrom("application/octet-stream", "text/plain", "image/png", ""),
    filesFirst: fc.boolean(),
  })
  .map((u) => ({
    kind: "form" as const,
    fields: [
      ["title", u.title],
      ["file_type", u.kind.type],
      ...(u.description === null ? [] : [["description", u.description]]),
      ...(u.metadata === null ? [] : [["metadata", JSON.stringify(u.metadata)]]),
    ] as [string, string][],
    files: [{ field: "file", name: u.keepExt ? `${u.name}${u.kind.ext}` : u.name, type: u.contentType, bytes: enc.encode(`${u.kind.head}${u.tail}\n`) }],
    filesFirst: u.filesFirst,
  }));

export const multipart: fc.Arbitrary<Multipart> = fc.oneof(
  { weight: 3, arbitrary: plausibleUpload },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("form" as const),
      fields: uploadFieldValues,
      files: fc.oneof({ weight: 4, arbitrary: uploadFile.map((f): UploadFile[] => [f]) }, fc.constant<UploadFile[]>([]), fc.array(uploadFile, { minLength: 2, maxLength: 3 })),
      filesFirst: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("raw" as const),
      boundary,
      headerBoundary: fc.option(boundary, { freq: 5 }),
      parts: fc.array(rawPart, { maxLength: 12 }),
      preamble: fc.oneof(fc.constant(""), junkString.filter((s) => s.length < 1000)),
      close: fc.boolean(),
      lf: fc.boolean(),
    }),
  },
);

/** Encodes a raw multipart body exactly as described, however broken. */
export function encodeRawMultipart(m: Extract<Multipart, { kind: "raw" }>): { body: Uint8Array; contentType: string } {
  const nl = m.lf ? "\n" : "\r\n";
  const chunks: Uint8Array[] = [];
  const push = (s: string) => chunks.push(Buffer.from(s, "utf8"));
  if (m.preamble) push(m.preamble + nl);
  for (const p of m.parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename) {
      const v = p.filename.value;
      const star = encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
      disposition +=
        p.filename.style === "quoted"
          ? `; filename="${v}"`
          : p.filename.style === "star"
            ? `; filename*=UTF-8''${star}`
            : p.filename.style === "both"
              ? `; filename="${v}"; filename*=UTF-8''${star}`
              : p.filename.style === "unquoted"
                ? `; filename=${v}`
                : `; filename*=${v}''%ZZ%00%C0%AF`;
    }
    push(`--${m.boundary}${nl}Content-Disposition: ${disposition}${nl}`);
    if (p.contentType !== undefined) push(`Content-Type: ${p.contentType}${nl}`);
    push(nl);
    chunks.push(p.body);
    push(nl);
  }
  if (m.close) push(`--${m.boundary}--${nl}`);
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${m.headerBoundary ?? m.boundary}` };
}

/** What a browser's FormData would send. */
export function encodeForm(m: Extract<Multipart, { kind: "form" }>): FormData {
  const fd = new FormData();
  const files = () => {
    for (const f of m.files) fd.append(f.field, new Blob([f.bytes as BlobPart], { type: f.type }), f.name);
  };
  if (m.filesFirst) files();
  for (const [k, v] of m.fields) fd.append(k, v);
  if (!m.filesFirst) files();
  return fd;
}
