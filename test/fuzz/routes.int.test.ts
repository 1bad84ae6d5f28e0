/**
 * Property-based fuzzing of every route handler under app/api (found by globbing at test time):
 * random path params, query strings, headers, credentials and bodies — multipart uploads with
 * hostile file names included — sent in-process, anonymously and with real credentials (session
 * cookie + Origin, API key, agent token, Stripe signatures) so the checks behind authentication are
 * reached too. Every answer must be < 500; every 4xx an RFC 9457 problem with no internals; every
 * rejected request must leave all row counts, IPFS pins and block files unchanged.
 *
 * Reproduce a failure with the seed fast-check prints:
 *   FUZZ_SEED=<seed> npx vitest run test/fuzz/routes.int.test.ts --project pglite
 * Soak: FUZZ_RUNS=500; survey every failure instead of stopping at the first: FUZZ_SURVEY=1.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { eq } from "drizzle-orm";
import fc from "fast-check";
import Stripe from "stripe";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authNonces, contributionStatus, rewardStatus, subscriptions, users, webhookDeliveryStatus } from "@/db/schema";
import { EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "@/db/vocabulary";
import { API_SCOPES, createApiKey } from "@/lib/api-keys/keys";
import { flushUsage } from "@/lib/api-keys/usage";
import { getSessionUser } from "@/lib/auth/sessions";
import { resetEnvCache } from "@/lib/config/env";
import { BadRequestError, ServiceUnavailableError, problemResponse } from "@/lib/errors";
import { addContent } from "@/lib/ipfs/content";
import { setupTestDatabase } from "@/test/db";
import { insertContribution } from "@/test/fixtures";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, stripeEvent } from "@/test/stripe";

import * as A from "./arbitraries";
import { HTTP_METHODS, METERING_TABLES, checkResponse, coverageGaps, describeRequest, findRouteFiles, footprint, footprintChanges, within } from "./harness";

/** Runs per route handler (and method). FUZZ_RUNS overrides it for a longer local soak. */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** One seed for the whole file, printed by fast-check with any counterexample. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/**
 * FUZZ_SURVEY=1: keep going after a failure and report up to 12 failing requests per route at the
 * end, with the status mix seen (no shrinking) — for finding all the bugs at once, not the first.
 */
const SURVEY = process.env.FUZZ_SURVEY === "1";
/** A handler that has not answered (and had its body read) by then is reported as hung. */
const ANSWER_TIMEOUT_MS = 15_000;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const testDb = setupTestDatabase();

// ---------------------------------------------------------------------------------------------
// Run-time material: real credentials and rows for the fuzzed requests to point at.

const AGENT_TOKEN = "fuzz-agent-token-0123456789-0123456789";
const alice = newAccount(); // the signed-in user, owner of the API key and the contribution
const signer = newAccount(); // signs SIWE messages for the verify route
const stranger = newAccount(); // a valid signature from the wrong account
const rt = { cookie: "", apiKey: "", aliceId: "", contributionId: "", imageId: "", etag: "", lastNonce: "", uploadId: "", webhookId: "" };
const savedEnv: Record<string, string | undefined> = {};

/** A signed-in admin (for the admin export, whose filters sit behind the role check). */
let adminCookieValue = "";
const admin = newAccount();
async function adminCookie(): Promise<string> {
  const token = /nwu_session=([^;]*)/.exec(adminCookieValue)?.[1];
  if (!token || !(await getSessionUser(decodeURIComponent(token)))) {
    adminCookieValue = await signedInCookie(admin);
    await testDb.handle.db.update(users).set({ roles: ["contributor", "admin"] }).where(eq(users.address, admin.address.toLowerCase()));
  }
  return adminCookieValue;
}

async function sessionCookie(): Promise<string> {
  // Fuzzed logouts and sign-ins revoke it now and then: sign in again (outside the measured window).
  const token = /nwu_session=([^;]*)/.exec(rt.cookie)?.[1];
  if (!token || !(await getSessionUser(decodeURIComponent(token)))) rt.cookie = await signedInCookie(alice);
  return rt.cookie;
}

beforeAll(async () => {
  // DEMO_MODE on: the demo-only role switch (POST /api/demo/session) is reached on both drivers.
  for (const [k, v] of Object.entries({ AGENT_TOKEN, STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, DEMO_MODE: "on" })) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  resetEnvCache();
  rt.cookie = await signedInCookie(alice);
  const { db } = testDb.handle;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.address, alice.address.toLowerCase()));
  // Enterprise quotas, so keyed requests reach the handlers instead of stopping at the rate limit.
  rt.aliceId = user!.id;
  await db.insert(subscriptions).values({ userId: user!.id, plan: "enterprise", status: "active" });
  // An agent account, so its key may carry every scope (verifications:write included).
  await db.update(users).set({ roles: ["contributor", "agent"] }).where(eq(users.id, user!.id));
  rt.apiKey = (await createApiKey({ userId: user!.id, name: "fuzz", scopes: [...API_SCOPES] })).key;
  const upload = await loadHandler("app/api/v1/contributions/route.ts", "POST");
  const fd = new FormData();
  fd.append("title", "Fuzz target");
  fd.append("file_type", "dataset");
  fd.append("file", new Blob(["id,value\n1,fuzz\n2,target\n"]), "target.csv");
  const res = await upload(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { cookie: rt.cookie, origin: TEST_ORIGIN }, body: fd }), undefined);
  if (res.status !== 201) throw new Error(`fixture upload failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { id: string; cid: string };
  rt.contributionId = created.id;
  rt.etag = `"${created.cid}"`;
  // An image too, so that the thumbnail route has one to answer 200 for.
  const image = new FormData();
  image.append("title", "Fuzz picture");
  image.append("file_type", "dataset");
  image.append("file", new Blob([readFileSync(path.join(process.cwd(), "test/fixtures/formats/image.png"))]), "image.png");
  const pic = await upload(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { cookie: rt.cookie, origin: TEST_ORIGIN }, body: image }), undefined);
  if (pic.status !== 201) throw new Error(`fixture image upload failed: ${pic.status} ${await pic.text()}`);
  rt.imageId = ((await pic.json()) as { id: string }).id;
  // An unfinished resumable upload of alice's, far too long for the fuzzer to finish.
  const tus = await loadHandler("app/api/v1/uploads/route.ts", "POST");
  const meta = `title ${btoa("Fuzz upload")},file_type ${btoa("dataset")},filename ${btoa("fuzz.bin")}`;
  const made = await tus(new Request(`${TEST_ORIGIN}/api/v1/uploads`, { method: "POST", headers: { cookie: rt.cookie, origin: TEST_ORIGIN, "tus-resumable": "1.0.0", "upload-length": String(512 * 1024 ** 2), "upload-metadata": meta } }), undefined);
  if (made.status !== 201) throw new Error(`fixture tus upload failed: ${made.status} ${await made.text()}`);
  rt.uploadId = made.headers.get("location")!.split("/").pop()!;
  // A webhook endpoint of alice's (enterprise), for the item routes to find.
  const hook = await loadHandler("app/api/v1/webhooks/route.ts", "POST");
  const registered = await hook(new Request(`${TEST_ORIGIN}/api/v1/webhooks`, { method: "POST", headers: { cookie: rt.cookie, origin: TEST_ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ url: "https://hooks.example.com/fuzz", events: ["contribution.created"] }) }), undefined);
  if (registered.status !== 201) throw new Error(`fixture webhook failed: ${registered.status} ${await registered.text()}`);
  rt.webhookId = ((await registered.json()) as { id: string }).id;
});

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

// ---------------------------------------------------------------------------------------------
// Route discovery: every route.ts under app/api, imported and asked which methods it exports.

type Handler = (request: Request, context: unknown) => Promise<Response> | Response;

const ROUTE_FILES = findRouteFiles(ROOT);
const MODULES = new Map<string, Record<string, unknown>>();
for (const file of ROUTE_FILES) MODULES.set(file, (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>);
const DISCOVERED = ROUTE_FILES.flatMap((file) => HTTP_METHODS.filter((m) => typeof MODULES.get(file)![m] === "function").map((m) => `${file} ${m}`));

async function loadHandler(file: string, method: string): Promise<Handler> {
  const mod = MODULES.get(file) ?? ((await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>);
  return mod[method] as Handler;
}

// ---------------------------------------------------------------------------------------------
// Building requests from generated values.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What a decoded URL segment can hold (Next decodes params; a lone surrogate cannot be decoded). */
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, "\uFFFD");

function resolveParam(p: A.Param): string {
  if (typeof p === "string") return wellFormed(p);
  switch (p.ref) {
    case "contribution":
      return rt.contributionId;
    case "image":
      return rt.imageId;
    case "alice":
      return alice.address.toLowerCase();
    case "aliceUpper":
      return `0x${alice.address.slice(2).toUpperCase()}`;
    case "aliceChecksum":
      return alice.address;
  }
}

/**
 * Replaces `{ ref: "contribution" }` anywhere in a JSON value with the fixture's id, and
 * `{ ref: "freshContribution" }` with a new pending contribution (so votes keep reaching the insert
 * after the fixture has been decided). Runs before the footprint is taken.
 */
async function resolveJson(v: unknown): Promise<unknown> {
  if (Array.isArray(v)) return Promise.all(v.map(resolveJson));
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && o.ref === "contribution") return rt.contributionId;
    if (Object.keys(o).length === 1 && o.ref === "freshContribution") return insertContribution(testDb.handle.db, rt.aliceId, { title: "Fresh" });
    return Object.fromEntries(await Promise.all(Object.entries(o).map(async ([k, x]) => [k, await resolveJson(x)])));
  }
  return v;
}

interface Common {
  auth: A.Auth;
  origin: A.OriginChoice;
  headers: [string, string][];
  query: A.QueryPair[];
}

const commonArb = (query: Record<string, fc.Arbitrary<string>> = {}, authArb: fc.Arbitrary<A.Auth> = A.auth): fc.Arbitrary<Common> =>
  fc.record({ auth: authArb, origin: A.origin, headers: A.extraHeaders, query: A.queryArb(query) });

/** A browser's request from our own page: the signed-in session, our Origin, nothing else odd. */
const browserCommon: fc.Arbitrary<Common> = fc.constant({ auth: { kind: "session" }, origin: { origin: { ref: "same" } }, headers: [], query: [] });

/** Auth that is mostly the signed-in session (for routes whose interesting checks sit behind it). */
const sessionHeavy = fc.oneof({ weight: 3, arbitrary: fc.constant<A.Auth>({ kind: "session" }) }, { weight: 2, arbitrary: A.auth });
/** Auth that is mostly a real agent token or API key (the vote route). */
const agentHeavy = fc.oneof({ weight: 3, arbitrary: fc.constantFrom<A.Auth>({ kind: "agent" }, { kind: "apiKey" }) }, { weight: 1, arbitrary: A.auth });

interface Payload {
  init?: BodyInit;
  contentType?: string | null;
  summary: string;
}

async function payloadOf(body: A.Body): Promise<Payload> {
  switch (body.kind) {
    case "none":
      return { summary: "(none)" };
    case "json": {
      const text = JSON.stringify(await resolveJson(body.value)) ?? "null";
      return { init: text, contentType: body.contentType, summary: text };
    }
    case "text":
      return { init: body.text, contentType: body.contentType, summary: JSON.stringify(body.text) };
    case "bytes":
      return { init: body.bytes as BodyInit, contentType: body.contentType, summary: `${body.bytes.length} bytes ${Buffer.from(body.bytes.subarray(0, 40)).toString("hex")}` };
  }
}

interface Built {
  request: Request;
  context: unknown;
  summary: string;
  /** A real API key was sent: its usage and rate-limit rows grow by design, even when rejected. */
  keyed: boolean;
  stream?: boolean;
  abort?: () => void;
}

async function build(method: string, pathname: string, c: Common, params: Record<string, string> | undefined, payload: Payload = { summary: "(none)" }, extra: [string, string][] = []): Promise<Built> {
  const headers = new Headers();
  switch (c.auth.kind) {
    case "session":
      headers.set("cookie", await sessionCookie());
      break;
    case "sessionTampered":
      headers.set("cookie", A.toHeaderValue((await sessionCookie()) + c.auth.suffix));
      break;
    case "apiKey":
      headers.set("authorization", `Bearer ${rt.apiKey}`);
      break;
    case "agent":
      headers.set("authorization", `Bearer ${AGENT_TOKEN}`);
      break;
    case "raw":
      if (c.auth.authorization !== undefined) headers.set("authorization", c.auth.authorization);
      if (c.auth.cookie !== undefined) headers.set("cookie", c.auth.cookie);
      break;
    case "none":
      break;
  }
  if (c.origin.origin !== undefined) headers.set("origin", typeof c.origin.origin === "string" ? c.origin.origin : TEST_ORIGIN);
  if (c.origin.secFetchSite !== undefined) headers.set("sec-fetch-site", c.origin.secFetchSite);
  if (payload.contentType !== undefined && payload.contentType !== null) headers.set("content-type", payload.contentType);
  for (const [k, v] of [...extra, ...c.headers]) headers.set(k, v);
  const controller = new AbortController();
  const url = `${TEST_ORIGIN}${pathname}${A.queryString(c.query.map((q) => ({ ...q, key: wellFormed(q.key), value: wellFormed(q.value) })))}`;
  const request = new Request(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : payload.init, signal: controller.signal });
  return { request, context: params ? { params: Promise.resolve(params) } : undefined, summary: payload.summary, keyed: c.auth.kind === "apiKey", abort: () => controller.abort() };
}

const seg = (s: string) => encodeURIComponent(s);

// ---------------------------------------------------------------------------------------------
// One request, checked.

/**
 * Sends one request and throws (failing the property) when the answer is a 5xx, a 4xx that is not
 * a clean problem document, or a rejection that changed any row count, pin or block file.
 */
async function exercise(handler: Handler, built: Built, timeoutMs = ANSWER_TIMEOUT_MS): Promise<number> {
  const { db } = testDb.handle;
  await flushUsage();
  const before = await footprint(db);
  const what = () => describeRequest(built.request, built.summary);
  let checked;
  try {
    const res = await within(Promise.resolve(handler(built.request, built.context)), timeoutMs, "handler");
    checked = await within(checkResponse(res, { stream: built.stream, abort: built.abort }), timeoutMs, "response body");
  } catch (error) {
    built.abort?.();
    throw new Error(`${(error as Error).message}\n--- request ---\n${what()}`, { cause: error });
  }
  const failures = [...checked.failures];
  // A 5xx already fails; whether it also left something behind is worth knowing too.
  if (checked.status >= 400) {
    await flushUsage();
    const changes = footprintChanges(before, await footprint(db), built.keyed ? METERING_TABLES : []);
    if (changes.length > 0) failures.push(`rejected with ${checked.status} but left a partial write: ${changes.join(", ")}`);
  }
  if (failures.length > 0) throw new Error(`${failures.join("\n")}\n--- request ---\n${what()}`);
  return checked.status;
}

interface RouteSpec {
  property(handler: Handler, statuses: Map<number, number>, survey?: Map<string, string>): fc.IAsyncPropertyWithHooks<[unknown]>;
  /** Inputs always tried first (earlier counterexamples, kept as regressions). */
  examples: [unknown][];
}

/** A generator of values, how to turn one into a request, and inputs that must always be tried. */
function spec<T>(arb: fc.Arbitrary<T>, toRequest: (v: T) => Promise<Built>, examples: T[] = []): RouteSpec {
  return {
    examples: examples.map((e) => [e]),
    property: (handler, statuses, survey) =>
      fc.asyncProperty(arb as fc.Arbitrary<unknown>, async (v) => {
        try {
          const status = await exercise(handler, await toRequest(v as T));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        } catch (error) {
          if (!survey) throw error;
          // The answer alone cannot tell two 500s apart (the cause is only logged): keep up to 12 examples.
          const message = (error as Error).message;
          if (survey.size < 12) survey.set(message, message);
        }
      }),
  };
}

/** Routes with no path params and no body: junk credentials, origins, headers and query only. */
const plain = (method: string, pathname: string, query: Record<string, fc.Arbitrary<string>> = {}, examples: Common[] = []) =>
  spec(commonArb(query), (c) => build(method, pathname, c, undefined), examples);

const withId = (method: string, suffix: string, query: Record<string, fc.Arbitrary<string>> = {}, o: { stream?: boolean; conditional?: boolean; examples?: Common[] } = {}) =>
  spec(
    fc.record({ c: commonArb(query), id: A.idParam, cond: o.conditional ? conditionalHeaders : fc.constant<[string, string][]>([]) }),
    async ({ c, id, cond }) => {
      const value = resolveParam(id);
      const built = await build(method, `/api/v1/contributions/${seg(value)}${suffix}`, c, { id: value }, undefined, cond.map(([k, v]) => [k, v.replace("@ETAG", rt.etag)]));
      return { ...built, stream: o.stream };
    },
    (o.examples ?? []).map((c) => ({ c, id: { ref: "contribution" } as A.Param, cond: [] })),
  );

const withAddress = (suffix: string, query: Record<string, fc.Arbitrary<string>> = {}, examples: Common[] = []) =>
  spec(
    fc.record({ c: commonArb(query), address: A.addressParam }),
    ({ c, address }) => {
      const value = resolveParam(address);
      return build("GET", `/api/v1/users/${seg(value)}${suffix}`, c, { address: value });
    },
    examples.map((c) => ({ c, address: { ref: "alice" } as A.Param })),
  );

/** Range / If-Range / If-None-Match for the download route, sometimes naming the real ETag. */
const conditionalHeaders: fc.Arbitrary<[string, string][]> = fc
  .record(
    {
      range: fc.oneof(fc.constantFrom("bytes=0-0", "bytes=0-", "bytes=-1", "bytes=-0", "bytes=3-2", "bytes=0-1,3-4", "bytes=26-", "bytes=25-25", "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=0-99999999999999999999999", "bytes=00000000000000000000000001-2", "items=0-1", "bytes=1e3-"), A.headerValue),
      "if-range": fc.oneof(fc.constant("@ETAG"), A.headerValue),
      "if-none-match": fc.oneof(fc.constant("@ETAG"), fc.constant("W/@ETAG"), fc.constant("*"), A.headerValue),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.entries(r));

// --- POST /api/auth/verify: SIWE messages built field by field, signed for real or not -------

type SiweRecipe = {
  nonce: "fresh" | "last" | "unknown" | string;
  domain: "good" | string;
  uri: "good" | string;
  version: string;
  chainId: string;
  issuedAtOffsetS: number;
  expirationOffsetS: number | null;
  notBeforeOffsetS: number | null;
  address: "signer" | "lower" | "stranger" | string;
  signature: "good" | "stranger" | "junkHex" | "truncated" | "nonHex" | "empty";
  junkHex: string;
  extraLine: string | null;
};

const siweRecipe: fc.Arbitrary<SiweRecipe> = fc.record({
  nonce: fc.oneof({ weight: 4, arbitrary: fc.constant("fresh") }, fc.constantFrom("last", "unknown"), A.junkString),
  domain: fc.oneof({ weight: 4, arbitrary: fc.constant("good") }, fc.constantFrom("localhost:3001", "evil.example", "LOCALHOST:3000"), A.junkString),
  uri: fc.oneof({ weight: 4, arbitrary: fc.constant("good") }, fc.constantFrom("https://localhost:3000", "http://evil.example", "not a uri", "http://localhost:3000/../x"), A.junkString),
  version: fc.oneof({ weight: 4, arbitrary: fc.constant("1") }, A.junkString),
  chainId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("1", "11155111", "31337") }, fc.constantFrom("0", "-1", "5", "1.5", "99999999999999999999", "0x1", ""), A.junkString),
  issuedAtOffsetS: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: -1e9, max: 1e9 })),
  expirationOffsetS: fc.oneof({ weight: 3, arbitrary: fc.constant(600) }, fc.constant(null), fc.integer({ min: -1e9, max: 1e9 })),
  notBeforeOffsetS: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.integer({ min: -1e6, max: 1e6 })),
  address: fc.oneof({ weight: 4, arbitrary: fc.constant("signer") }, fc.constantFrom("lower", "stranger"), A.addressParam.filter((v): v is string => typeof v === "string")),
  signature: fc.oneof({ weight: 3, arbitrary: fc.constant("good" as const) }, fc.constantFrom("stranger" as const, "junkHex" as const, "truncated" as const, "nonHex" as const, "empty" as const)),
  junkHex: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("hex")),
  extraLine: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.constantFrom("Nonce: abcdefgh1234", "Chain ID: 1", "URI: http://localhost:3000", "Resources:\n- ipfs://x"), A.junkString),
});

const isoOrJunk = (offsetS: number) => {
  const d = new Date(Date.now() + offsetS * 1000);
  return Number.isNaN(d.getTime()) ? "not-a-date" : d.toISOString();
};

async function siweBody(r: SiweRecipe): Promise<{ message: string; signature: string }> {
  let nonce = r.nonce;
  if (r.nonce === "fresh" || (r.nonce === "last" && !rt.lastNonce)) {
    const nonceRoute = await loadHandler("app/api/auth/nonce/route.ts", "GET");
    rt.lastNonce = ((await (await nonceRoute(new Request(`${TEST_ORIGIN}/api/auth/nonce`), undefined)).json()) as { nonce: string }).nonce;
    nonce = rt.lastNonce;
  } else if (r.nonce === "last") nonce = rt.lastNonce;
  else if (r.nonce === "unknown") nonce = randomBytes(12).toString("hex");
  const address = r.address === "signer" ? signer.address : r.address === "lower" ? signer.address.toLowerCase() : r.address === "stranger" ? stranger.address : r.address;
  const lines = [
    `${r.domain === "good" ? new URL(TEST_ORIGIN).host : r.domain} wants you to sign in with your Ethereum account:`,
    address,
    "",
    "Sign in to NWU Protocol.",
    "",
    `URI: ${r.uri === "good" ? TEST_ORIGIN : r.uri}`,
    `Version: ${r.version}`,
    `Chain ID: ${r.chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${isoOrJunk(r.issuedAtOffsetS)}`,
    ...(r.expirationOffsetS === null ? [] : [`Expiration Time: ${isoOrJunk(r.expirationOffsetS)}`]),
    ...(r.notBeforeOffsetS === null ? [] : [`Not Before: ${isoOrJunk(r.notBeforeOffsetS)}`]),
    ...(r.extraLine === null ? [] : [r.extraLine]),
  ];
  const message = lines.join("\n");
  const sign = (account: PrivateKeyAccount) => account.signMessage({ message });
  const signature =
    r.signature === "good"
      ? await sign(signer)
      : r.signature === "stranger"
        ? await sign(stranger)
        : r.signature === "truncated"
          ? (await sign(signer)).slice(0, 100)
          : r.signature === "junkHex"
            ? `0x${r.junkHex}`
            : r.signature === "nonHex"
              ? "0xnothex"
              : "";
  return { message, signature };
}

type VerifyBody = { kind: "siwe"; recipe: SiweRecipe; contentType: string | null } | A.Body;

const verifyBody: fc.Arbitrary<VerifyBody> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("siwe" as const), recipe: siweRecipe, contentType: A.contentType }) },
  { weight: 2, arbitrary: A.bodyArb(A.fieldsArb({ message: fc.oneof(A.junkString, A.mixedString), signature: fc.uint8Array({ maxLength: 80 }).map((b) => `0x${Buffer.from(b).toString("hex")}`) })) },
);

// --- POST /api/stripe/webhook: random bodies and random, missing, stale or valid signatures ---

type WebhookCase = {
  payload: { kind: "event"; id: string; type: string; object: Record<string, unknown> } | { kind: "text"; text: string } | { kind: "bytes"; bytes: Uint8Array };
  signature: { kind: "missing" } | { kind: "junk"; value: string } | { kind: "shaped"; t: number; v1: string; extra: string } | { kind: "wrongSecret" } | { kind: "stale"; ageS: number } | { kind: "otherPayload" } | { kind: "valid" };
};

const KNOWN_STRIPE_TYPES = ["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed", "payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"];
const eventPayload = (types: fc.Arbitrary<string>) =>
  fc.record({
    kind: fc.constant("event" as const),
    id: fc.stringMatching(/^evt_fuzz_[A-Za-z0-9]{1,24}$/),
    type: types,
    object: fc.dictionary(A.junkString, A.junkJsonValue, { maxKeys: 5 }),
  });
const notJson = (s: string) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
};

const webhookCase: fc.Arbitrary<WebhookCase> = fc.oneof(
  // Anything at all, with a signature that must not verify.
  {
    weight: 3,
    arbitrary: fc.record({
      payload: fc.oneof(
        eventPayload(fc.oneof(fc.constantFrom(...KNOWN_STRIPE_TYPES), A.junkString)),
        fc.record({ kind: fc.constant("text" as const), text: fc.oneof(A.invalidJsonText, A.junkString, fc.json()) }),
        fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 512 }) }),
      ),
      signature: fc.oneof(
        fc.constant({ kind: "missing" as const }),
        fc.record({ kind: fc.constant("junk" as const), value: A.headerValue }),
        fc.record({ kind: fc.constant("shaped" as const), t: fc.oneof(fc.integer(), fc.constant(Math.floor(Date.now() / 1000))), v1: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")), extra: fc.oneof(fc.constant(""), A.junkString.map(A.toHeaderValue)) }),
        fc.constantFrom({ kind: "wrongSecret" as const }, { kind: "otherPayload" as const }),
        fc.record({ kind: fc.constant("stale" as const), ageS: fc.integer({ min: 301, max: 1e8 }) }),
      ),
    }),
  },
  // Correctly signed: events of any type with any object, the types the app applies included
  // (Stripe retries anything but a 2xx for days, so each is acknowledged: applied, unmatched or
  // ignored), or a body that is not JSON (400).
  {
    weight: 1,
    arbitrary: fc.record({
      payload: fc.oneof(
        eventPayload(fc.oneof(fc.constantFrom(...KNOWN_STRIPE_TYPES), fc.stringMatching(/^[a-z_]{1,12}\.[a-z_.]{1,20}$/))),
        fc.record({ kind: fc.constant("text" as const), text: fc.oneof(A.invalidJsonText, A.junkString).filter(notJson) }),
      ),
      signature: fc.constant({ kind: "valid" as const }),
    }),
  },
);

function webhookRequest(w: WebhookCase, c: Common): Promise<Built> {
  const raw = w.payload.kind === "event" ? JSON.stringify(stripeEvent(w.payload.type, w.payload.object, { id: w.payload.id })) : w.payload.kind === "text" ? w.payload.text : w.payload.bytes;
  const asText = typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8"); // what request.text() will read
  const s = w.signature;
  const header =
    s.kind === "missing"
      ? undefined
      : s.kind === "junk"
        ? s.value
        : s.kind === "shaped"
          ? `t=${s.t},v1=${s.v1}${s.extra}`
          : s.kind === "wrongSecret"
            ? signedDeliveryFor(asText, { secret: "whsec_not_the_configured_one" })
            : s.kind === "stale"
              ? signedDeliveryFor(asText, { timestamp: Math.floor(Date.now() / 1000) - s.ageS })
              : s.kind === "otherPayload"
                ? signedDeliveryFor(`${asText} `, {})
                : signedDeliveryFor(asText, {});
  const payload: Payload = { init: typeof raw === "string" ? raw : (raw as BodyInit), contentType: "application/json", summary: typeof raw === "string" ? JSON.stringify(raw) : `${raw.length} bytes` };
  return build("POST", "/api/stripe/webhook", c, undefined, payload, header === undefined ? [] : [["stripe-signature", header]]);
}

/** A Stripe-Signature header for an exact payload string, made by the SDK itself. */
const stripeSdk = new Stripe(TEST_STRIPE_KEY);
const signedDeliveryFor = (payload: string, o: { secret?: string; timestamp?: number }) =>
  stripeSdk.webhooks.generateTestHeaderString({ payload, secret: o.secret ?? TEST_WEBHOOK_SECRET, timestamp: o.timestamp });

// --- POST /api/v1/contributions: multipart uploads --------------------------------------------

type UploadCase = { c: Common; body: { kind: "multipart"; m: A.Multipart } | { kind: "other"; body: A.Body }; contentLength: string | null };

const uploadCase: fc.Arbitrary<UploadCase> = fc.record({
  c: fc.oneof(browserCommon, commonArb({}, sessionHeavy)),
  body: fc.oneof({ weight: 5, arbitrary: fc.record({ kind: fc.constant("multipart" as const), m: A.multipart }) }, { weight: 1, arbitrary: fc.record({ kind: fc.constant("other" as const), body: A.bodyArb(A.junkJsonValue) }) }),
  contentLength: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, fc.constantFrom("-1", "0", "abc", "1e10", "99999999999999999999", "1.5", " 12", "0x10")),
});

async function uploadRequest(u: UploadCase): Promise<Built> {
  let payload: Payload;
  if (u.body.kind === "other") payload = await payloadOf(u.body.body);
  else if (u.body.m.kind === "form") {
    const m = u.body.m;
    payload = { init: A.encodeForm(m), summary: `form fields=${JSON.stringify(m.fields).slice(0, 300)} files=${JSON.stringify(m.files.map((f) => ({ field: f.field, name: f.name, type: f.type, size: f.bytes.length })))}` };
  } else {
    const { body, contentType } = A.encodeRawMultipart(u.body.m);
    payload = { init: body as BodyInit, contentType, summary: JSON.stringify(Buffer.from(body).toString("latin1").slice(0, 400)) };
  }
  return build("POST", "/api/v1/contributions", u.c, undefined, payload, u.contentLength === null ? [] : [["content-length", u.contentLength]]);
}

// --- POST /api/v1/verifications: agent votes -------------------------------------------------

const voteFields = A.fieldsArb({
  contribution_id: fc.oneof({ weight: 3, arbitrary: fc.constant({ ref: "freshContribution" }) }, fc.constant({ ref: "contribution" }), fc.uuid(), A.idParam.filter((v): v is string => typeof v === "string")),
  agent_id: fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), A.textWithSpecial, A.junkString),
  vote_score: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer(), fc.double(), fc.integer({ min: 0, max: 100 }).map(String), A.junkString),
  sub_scores: fc.dictionary(A.junkString, fc.oneof(fc.integer({ min: 0, max: 100 }), A.junkJsonValue), { maxKeys: 12 }),
  reasoning: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), A.textWithSpecial, A.junkString, A.mixedString),
  details: fc.oneof(fc.dictionary(A.junkString, A.junkJsonValue, { maxKeys: 4 }), fc.dictionary(A.textWithSpecial, A.textWithSpecial, { minKeys: 1, maxKeys: 2 })),
});

/** A vote that passes validation, with legal-but-unusual text (NUL, bidi, BOM, lone surrogates) in its free-text parts. */
const words = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
const plausibleVote = fc.record(
  {
    contribution_id: fc.oneof({ weight: 4, arbitrary: fc.constant({ ref: "freshContribution" }) }, fc.constant({ ref: "contribution" }), fc.uuid()),
    agent_id: fc.oneof(words, A.textWithSpecial),
    vote_score: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }).map(String)),
    sub_scores: fc.dictionary(fc.oneof(fc.string({ maxLength: 40 }), A.textWithSpecial), fc.integer({ min: 0, max: 100 }), { maxKeys: 10 }),
    reasoning: fc.oneof(words, A.textWithSpecial),
    details: fc.dictionary(fc.oneof(words, A.textWithSpecial), fc.oneof(fc.jsonValue({ maxDepth: 2 }), A.textWithSpecial), { maxKeys: 3 }),
  },
  { requiredKeys: ["contribution_id", "vote_score"] },
);
const voteBody: fc.Arbitrary<A.Body> = fc.oneof(
  { weight: 3, arbitrary: plausibleVote.map((value): A.Body => ({ kind: "json", value, contentType: "application/json" })) },
  { weight: 2, arbitrary: A.bodyArb(voteFields) },
);

// --- POST /api/v1/contributions/{id}/appeal -------------------------------------------------------

const appealBody = A.bodyArb(A.fieldsArb({ statement: fc.oneof(words, A.textWithSpecial, A.junkString, fc.string({ minLength: 1995, maxLength: 2005 })) }));

// --- /api/v1/webhooks -------------------------------------------------------------------------

const webhookUrl = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("https://hooks.example.com/a", "https://[2001:4860::1]/x?y=1", "http://example.com/plain", "https://127.0.0.1/hook", "https://169.254.169.254/", "https://u:p@example.com/", "https://localhost./x", "https://[::ffff:10.0.0.1]/") },
  fc.webUrl().map((u) => u.replace(/^http:/, "https:")),
  fc.string({ minLength: 2040, maxLength: 2060 }).map((t) => `https://example.com/${t}`),
  A.textWithSpecial,
  A.junkString,
);
const webhookEvents = fc.oneof(
  { weight: 3, arbitrary: fc.subarray([...WEBHOOK_EVENT_TYPES], { minLength: 1 }) },
  fc.array(fc.oneof(fc.constantFrom(...EVENT_TYPES, "contribution.*", ""), A.junkString), { maxLength: 30 }),
);
const webhookBodyArb = A.bodyArb(A.fieldsArb({ url: webhookUrl, events: webhookEvents, platform: fc.oneof(fc.boolean(), fc.constantFrom("true", 1)) }));
const webhookId: fc.Arbitrary<string | { ref: "webhook" }> = fc.oneof({ weight: 4, arbitrary: fc.constant({ ref: "webhook" as const }) }, fc.uuid(), A.junkString);
const webhookSegment = (id: string | { ref: "webhook" }) => (typeof id === "string" ? wellFormed(id) : rt.webhookId);
const webhookItem = (method: string, suffix = "", query: Record<string, fc.Arbitrary<string>> = {}) =>
  spec(fc.record({ c: commonArb(query), id: webhookId }), ({ c, id }) => {
    const value = webhookSegment(id);
    return build(method, `/api/v1/webhooks/${seg(value)}${suffix}`, c, { id: value });
  });

// --- POST /api/demo/session ------------------------------------------------------------------

const demoRoleFields = fc.record({ role: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("admin", "verifier", "contributor") }, fc.constantFrom("agent", "Admin", ""), A.junkString) }, { requiredKeys: [] });

// --- tus: /api/v1/uploads and /api/v1/uploads/{id} ---------------------------------------------

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const tusVersion = fc.oneof({ weight: 5, arbitrary: fc.constant("1.0.0") }, fc.constantFrom("0.2.2", "1.0", ""), A.junkString.map(A.toHeaderValue));
const uploadLength = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 4096 }).map(String) },
  fc.constantFrom("0", "-1", "1e3", "0x10", "9007199254740993", String(64 * 1024 ** 4), " 12", ""),
  A.junkString.map(A.toHeaderValue),
);
/** Upload-Metadata: plausible pairs (with junk values, unknown keys) or junk. */
const uploadMetadata = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          title: fc.oneof(words, A.textWithSpecial, fc.string({ minLength: 199, maxLength: 202 })),
          file_type: fc.oneof(fc.constantFrom("code", "dataset", "document"), A.junkString),
          filename: fc.oneof(fc.constantFrom("a.csv", "x.pdf", "run.exe", "../../etc/passwd", "page.html"), A.junkString),
          metadata: fc.oneof(fc.constant('{"license":"MIT"}'), A.junkString),
          description: A.textWithSpecial,
          other: A.junkString,
        },
        { requiredKeys: [] },
      )
      .map((fields) => Object.entries(fields).map(([k, v]) => `${k} ${b64(v)}`).join(",")),
  },
  fc.constantFrom("title", "title x", "title ,", ",", "title @@@", "title dGl0bGU=,title dGl0bGU="),
  A.junkString.map(A.toHeaderValue),
);
const tusHeaders = (o: { version?: string; length?: string; metadata?: string; offset?: string; checksum?: string }): [string, string][] =>
  Object.entries({ "tus-resumable": o.version, "upload-length": o.length, "upload-metadata": o.metadata, "upload-offset": o.offset, "upload-checksum": o.checksum }).filter((e): e is [string, string] => e[1] !== undefined);
const uploadId: fc.Arbitrary<string | { ref: "upload" }> = fc.oneof({ weight: 4, arbitrary: fc.constant({ ref: "upload" as const }) }, fc.uuid(), A.junkString);
const uploadSegment = (id: string | { ref: "upload" }) => (typeof id === "string" ? wellFormed(id) : rt.uploadId);
const patchBody = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.constant(new Uint8Array(0)));
const patchContentType = fc.oneof({ weight: 4, arbitrary: fc.constant("application/offset+octet-stream") }, A.contentType);
const offset = fc.oneof({ weight: 2, arbitrary: fc.constant("0") }, fc.nat({ max: 10_000 }).map(String), fc.constantFrom("-1", "1.5", ""), A.junkString.map(A.toHeaderValue));
const checksum = fc.option(fc.oneof(fc.constantFrom("sha1 AAAA", "md5 1B2M2Y8AsgTpgAmY7PhCfg==", "crc32 AAAA", "sha1", "sha256 !!!"), A.junkString.map(A.toHeaderValue)), { nil: undefined });

const tusItem = (method: "HEAD" | "PATCH" | "DELETE") =>
  spec(
    fc.record({ c: commonArb({}, sessionHeavy), id: uploadId, version: tusVersion, offset, checksum, body: patchBody, type: patchContentType }),
    async ({ c, id, version, offset: at, checksum: sum, body, type }) => {
      const value = uploadSegment(id);
      const payload: Payload | undefined = method === "PATCH" ? { init: body as BodyInit, contentType: type, summary: `${body.length} bytes` } : undefined;
      return build(method, `/api/v1/uploads/${seg(value)}`, c, { id: value }, payload, tusHeaders({ version, ...(method === "PATCH" ? { offset: at, checksum: sum } : {}) }));
    },
  );

// ---------------------------------------------------------------------------------------------
// Counterexamples this fuzzer found, kept as examples: tried first on every run, whatever the seed.

const SAME: A.OriginChoice = { origin: { ref: "same" } };
const anon = (query: A.QueryPair[] = []): Common => ({ auth: { kind: "none" }, origin: {}, headers: [], query });
const withCookie = (cookie: string): Common => ({ auth: { kind: "raw", cookie }, origin: SAME, headers: [], query: [] });
/** A keyset cursor that passes decodeCursor's shape check but names a date PostgreSQL rejects (month 13). */
const IMPOSSIBLE_CURSOR: A.QueryPair = { key: "cursor", value: Buffer.from(JSON.stringify(["2024-13-01 00:00:00+00", "00000000-0000-4000-8000-000000000000"])).toString("base64url"), raw: false };
const form = (fields: [string, string][]): A.Multipart => ({ kind: "form", fields, files: [{ field: "file", name: "d.csv", type: "text/csv", bytes: new TextEncoder().encode(`id,name\n1,${Math.random()}\n`) }], filesFirst: false });
const agentVote = (value: Record<string, unknown>) => ({ c: { auth: { kind: "agent" } as A.Auth, origin: {}, headers: [], query: [] }, body: { kind: "json", value: { contribution_id: { ref: "freshContribution" }, vote_score: 50, ...value }, contentType: "application/json" } as A.Body });

// --- notifications: /api/v1/me/* and the token links ------------------------------------------
const KINDS = ["contribution_decided", "appeal_decided", "appeal_panel", "reward_paid", "reward_failed", "endpoint_disabled"];
const someUuid = fc.oneof(fc.uuid(), A.junkString);
const readBody = A.bodyArb(fc.oneof(A.fieldsArb({ ids: fc.array(someUuid, { maxLength: 120 }) }), A.fieldsArb({ all: fc.oneof(fc.constant(true), fc.boolean()) })));
const prefsBody = A.bodyArb(
  A.fieldsArb({
    preferences: fc.array(fc.oneof(A.fieldsArb({ kind: fc.oneof(fc.constantFrom(...KINDS), A.junkString), channel: fc.constantFrom("in_app", "email", "sms"), enabled: fc.boolean() }), A.junkJsonValue), { maxLength: 30 }),
  }),
);
const emailFields = A.bodyArb(A.fieldsArb({ address: fc.oneof(fc.emailAddress(), A.junkString, fc.constant(`${"a".repeat(250)}@example.org`)) }));
const linkQuery = { token: fc.oneof(A.junkString, fc.constant("x".repeat(43)), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)), kind: fc.oneof(fc.constantFrom(...KINDS, "all"), A.junkString) };
const tokenPost = (pathname: string) =>
  spec(fc.record({ c: commonArb(linkQuery), body: A.bodyArb(A.fieldsArb({ "List-Unsubscribe": fc.constant("One-Click"), from: fc.constantFrom("page", "x") })) }), async ({ c, body }) =>
    build("POST", pathname, c, undefined, await payloadOf(body)),
  );
const meBody = (method: string, pathname: string, body: fc.Arbitrary<A.Body>) =>
  spec(fc.record({ c: commonArb({}, sessionHeavy), body }), async ({ c, body }) => build(method, pathname, c, undefined, await payloadOf(body)));

// ---------------------------------------------------------------------------------------------
// The table: every route file and method → how to fuzz it. A route missing here fails the test.

const Q = A.validQuery;
const CONTRIBUTION_QUERY = { status: Q.status(contributionStatus.enumValues), type: Q.type, owner: Q.owner, q: Q.q, cursor: Q.cursor, limit: Q.limit };

/** Export filters: good and impossible dates (month 13, Feb 30, before 1970, past 9999), date-times with offsets, every status. */
const exportDate = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2024-13-01", "2026-02-30", "1969-12-31", "9999-12-31", "0000-01-01", "2026-01-01T00:00:00+05:30", "2026-01-01T24:00:00Z", "2026-1-1", "today"),
);
const EXPORT_QUERY = {
  format: fc.constantFrom("csv", "ndjson", "xml", "CSV"),
  from: exportDate,
  to: exportDate,
  status: fc.constantFrom(...contributionStatus.enumValues, ...rewardStatus.enumValues, "succeeded", "completed", "nope"),
};
const EXPORT_DATASETS = ["contributions", "votes", "rewards", "payouts", "payments", "api_keys", "sessions", "users"];
/** The admin export, mostly as a signed-in admin (else every request stops at 403 before the filters). */
const adminExport = spec(
  fc.record({ c: commonArb(EXPORT_QUERY, sessionHeavy), admin: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)), dataset: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EXPORT_DATASETS) }, A.junkString) }),
  async ({ c, admin, dataset }) => {
    const value = wellFormed(dataset);
    const extra: [string, string][] = admin && c.auth.kind === "session" ? [["cookie", await adminCookie()]] : [];
    return build("GET", `/api/v1/admin/exports/${seg(value)}`, c, { dataset: value }, undefined, extra);
  },
  [{ c: { ...anon([{ key: "from", value: "2024-13-01", raw: false }]), auth: { kind: "session" } }, admin: true, dataset: "contributions" }],
);

const TABLE: Record<string, RouteSpec> = {
  "app/api/auth/logout/route.ts POST": spec(
    fc.record({ c: commonArb({}, sessionHeavy), body: A.bodyArb(A.junkJsonValue) }),
    async ({ c, body }) => build("POST", "/api/auth/logout", c, undefined, await payloadOf(body)),
    [{ c: withCookie("nwu_session=%"), body: { kind: "none" } }],
  ),
  "app/api/auth/nonce/route.ts GET": plain("GET", "/api/auth/nonce"),
  "app/api/auth/session/route.ts GET": plain("GET", "/api/auth/session", {}, [withCookie("nwu_session=%E0%A4%A")]),
  "app/api/auth/verify/route.ts POST": spec(fc.record({ c: fc.oneof(commonArb(), browserCommon), body: verifyBody }), async ({ c, body }) => {
    if (body.kind !== "siwe") return build("POST", "/api/auth/verify", c, undefined, await payloadOf(body));
    const text = JSON.stringify(await siweBody(body.recipe));
    return build("POST", "/api/auth/verify", c, undefined, { init: text, contentType: body.contentType, summary: text });
  }, [{ c: withCookie("nwu_session=%"), body: { kind: "json", value: { message: "x", signature: "0x" }, contentType: "application/json" } }]),
  // Demo mode's role switch: mostly a real role from our own page, else junk bodies and origins.
  "app/api/demo/session/route.ts POST": spec(
    fc.record({ c: fc.oneof(commonArb({}, sessionHeavy), browserCommon), body: A.bodyArb(demoRoleFields) }),
    async ({ c, body }) => build("POST", "/api/demo/session", c, undefined, await payloadOf(body)),
  ),
  "app/api/health/live/route.ts GET": plain("GET", "/api/health/live"),
  "app/api/health/ready/route.ts GET": plain("GET", "/api/health/ready"),
  "app/api/health/route.ts GET": plain("GET", "/api/health"),
  "app/api/stripe/webhook/route.ts POST": spec(fc.record({ c: commonArb(), w: webhookCase }), ({ c, w }) => webhookRequest(w, c)),
  "app/api/v1/assignments/route.ts GET": plain("GET", "/api/v1/assignments"),
  "app/api/v1/assignments/route.ts POST": plain("POST", "/api/v1/assignments"),
  "app/api/v1/assignments/[id]/route.ts DELETE": spec(fc.record({ c: commonArb(), id: A.idParam }), ({ c, id }) => {
    const value = resolveParam(id);
    return build("DELETE", `/api/v1/assignments/${seg(value)}`, c, { id: value });
  }),
  "app/api/v1/contributions/[id]/appeal/route.ts POST": spec(fc.record({ c: commonArb(), id: A.idParam, body: appealBody }), async ({ c, id, body }) => {
    const value = resolveParam(id);
    return build("POST", `/api/v1/contributions/${seg(value)}/appeal`, c, { id: value }, await payloadOf(body));
  }),
  "app/api/v1/contributions/[id]/entries/route.ts GET": withId("GET", "/entries", { path: fc.oneof(A.junkString, fc.constant("data.csv"), fc.constant("../../etc/passwd")), offset: Q.limit, limit: Q.limit }),
  "app/api/v1/contributions/[id]/rows/route.ts GET": withId("GET", "/rows", { offset: fc.oneof(Q.limit, fc.constant("100"), fc.constant("-1"), fc.constant("1e3")) }),
  "app/api/v1/contributions/[id]/events/route.ts GET": withId("GET", "/events", {}, { stream: true }),
  "app/api/v1/contributions/[id]/preview/route.ts GET": withId("GET", "/preview"),
  "app/api/v1/contributions/[id]/thumbnail/route.ts GET": spec(fc.record({ c: commonArb(), id: fc.oneof({ weight: 3, arbitrary: fc.constant<A.Param>({ ref: "image" }) }, A.idParam) }), ({ c, id }) => {
    const value = resolveParam(id);
    return build("GET", `/api/v1/contributions/${seg(value)}/thumbnail`, c, { id: value });
  }),
  "app/api/v1/contributions/[id]/file/route.ts GET": withId("GET", "/file", {}, { conditional: true }),
  "app/api/v1/contributions/[id]/file/route.ts HEAD": withId("HEAD", "/file", {}, { conditional: true }),
  "app/api/v1/contributions/[id]/route.ts GET": withId("GET", ""),
  "app/api/v1/contributions/[id]/status/route.ts GET": withId("GET", "/status"),
  "app/api/v1/contributions/[id]/verifications/route.ts GET": withId("GET", "/verifications", { cursor: Q.cursor, limit: Q.limit, status: Q.status(rewardStatus.enumValues) }, { examples: [anon([IMPOSSIBLE_CURSOR])] }),
  "app/api/v1/contributions/route.ts GET": plain("GET", "/api/v1/contributions", CONTRIBUTION_QUERY, [anon([IMPOSSIBLE_CURSOR]), anon([{ key: "q", value: "a\u0000b", raw: false }])]),
  "app/api/v1/contributions/route.ts POST": spec(uploadCase, uploadRequest, [
    { c: withCookie("nwu_session=%E0"), body: { kind: "multipart", m: form([["title", "t"], ["file_type", "dataset"]]) }, contentLength: null },
    { c: { auth: { kind: "session" }, origin: SAME, headers: [], query: [] }, body: { kind: "other", body: { kind: "text", text: "x", contentType: "multipart/form-data" } }, contentLength: null },
    { c: { auth: { kind: "session" }, origin: SAME, headers: [], query: [] }, body: { kind: "multipart", m: form([["title", "a\u0000b"], ["file_type", "dataset"]]) }, contentLength: null },
    { c: { auth: { kind: "session" }, origin: SAME, headers: [], query: [] }, body: { kind: "multipart", m: form([["title", "t"], ["file_type", "dataset"], ["metadata", '{"a":"\\u0000"}']]) }, contentLength: null },
    { c: { auth: { kind: "session" }, origin: SAME, headers: [], query: [] }, body: { kind: "multipart", m: form([["title", "t"], ["file_type", "dataset"], ["metadata", '{"a":"\\ud800"}']]) }, contentLength: null },
  ]),
  "app/api/v1/openapi.json/route.ts GET": plain("GET", "/api/v1/openapi.json"),
  "app/api/notifications/confirm/route.ts POST": tokenPost("/api/notifications/confirm"),
  "app/api/notifications/unsubscribe/route.ts POST": tokenPost("/api/notifications/unsubscribe"),
  "app/api/v1/me/notifications/route.ts GET": plain("GET", "/api/v1/me/notifications", { unread: fc.constantFrom("true", "false", "yes"), cursor: Q.cursor, limit: Q.limit }, [{ ...anon([IMPOSSIBLE_CURSOR]), auth: { kind: "session" } }]),
  "app/api/v1/me/notifications/read/route.ts POST": meBody("POST", "/api/v1/me/notifications/read", readBody),
  "app/api/v1/me/events/route.ts GET": spec(commonArb({}, sessionHeavy), async (c) => ({ ...(await build("GET", "/api/v1/me/events", c, undefined)), stream: true })),
  "app/api/v1/me/notification-preferences/route.ts GET": plain("GET", "/api/v1/me/notification-preferences"),
  "app/api/v1/me/notification-preferences/route.ts PUT": meBody("PUT", "/api/v1/me/notification-preferences", prefsBody),
  "app/api/v1/me/email/route.ts GET": plain("GET", "/api/v1/me/email"),
  "app/api/v1/me/email/route.ts POST": meBody("POST", "/api/v1/me/email", emailFields),
  "app/api/v1/me/email/route.ts DELETE": plain("DELETE", "/api/v1/me/email"),
  "app/api/v1/uploads/route.ts GET": plain("GET", "/api/v1/uploads", { cursor: Q.cursor, limit: Q.limit }, [withCookie("nwu_session=%"), { ...anon([IMPOSSIBLE_CURSOR]), auth: { kind: "session" } }]),
  "app/api/v1/uploads/route.ts POST": spec(
    fc.record({ c: commonArb({}, sessionHeavy), version: tusVersion, length: uploadLength, metadata: fc.option(uploadMetadata, { nil: undefined }), body: fc.option(patchBody, { nil: undefined }) }),
    ({ c, version, length, metadata, body }) =>
      build("POST", "/api/v1/uploads", c, undefined, body ? { init: body as BodyInit, contentType: "application/offset+octet-stream", summary: `${body.length} bytes` } : undefined, tusHeaders({ version, length, metadata })),
  ),
  "app/api/v1/uploads/route.ts OPTIONS": plain("OPTIONS", "/api/v1/uploads"),
  "app/api/v1/uploads/[id]/route.ts HEAD": tusItem("HEAD"),
  "app/api/v1/uploads/[id]/route.ts PATCH": tusItem("PATCH"),
  "app/api/v1/uploads/[id]/route.ts DELETE": tusItem("DELETE"),
  "app/api/v1/uploads/[id]/route.ts OPTIONS": spec(fc.record({ c: commonArb(), id: uploadId }), ({ c, id }) => {
    const value = uploadSegment(id);
    return build("OPTIONS", `/api/v1/uploads/${seg(value)}`, c, { id: value });
  }),
  "app/api/v1/webhooks/route.ts GET": plain("GET", "/api/v1/webhooks", { cursor: Q.cursor, limit: Q.limit }, [{ ...anon([IMPOSSIBLE_CURSOR]), auth: { kind: "session" } }]),
  "app/api/v1/webhooks/route.ts POST": spec(fc.record({ c: commonArb(), body: webhookBodyArb }), async ({ c, body }) => build("POST", "/api/v1/webhooks", c, undefined, await payloadOf(body))),
  "app/api/v1/webhooks/[id]/route.ts GET": webhookItem("GET"),
  "app/api/v1/webhooks/[id]/route.ts DELETE": webhookItem("DELETE"),
  "app/api/v1/webhooks/[id]/rotate/route.ts POST": webhookItem("POST", "/rotate"),
  "app/api/v1/webhooks/[id]/enable/route.ts POST": webhookItem("POST", "/enable"),
  "app/api/v1/webhooks/[id]/deliveries/route.ts GET": webhookItem("GET", "/deliveries", { cursor: Q.cursor, limit: Q.limit, status: Q.status(webhookDeliveryStatus.enumValues) }),
  "app/api/v1/webhooks/[id]/deliveries/[deliveryId]/retry/route.ts POST": spec(fc.record({ c: commonArb(), id: webhookId, delivery: A.idParam }), ({ c, id, delivery }) => {
    const value = webhookSegment(id);
    const deliveryId = resolveParam(delivery);
    return build("POST", `/api/v1/webhooks/${seg(value)}/deliveries/${seg(deliveryId)}/retry`, c, { id: value, deliveryId });
  }),
  "app/api/v1/users/[address]/contributions/route.ts GET": withAddress("/contributions", { status: Q.status(contributionStatus.enumValues), type: Q.type, cursor: Q.cursor, limit: Q.limit }, [anon([IMPOSSIBLE_CURSOR])]),
  "app/api/v1/users/[address]/rewards/route.ts GET": withAddress("/rewards", { status: Q.status(rewardStatus.enumValues), cursor: Q.cursor, limit: Q.limit }, [anon([IMPOSSIBLE_CURSOR])]),
  "app/api/v1/users/[address]/route.ts GET": withAddress(""),
  "app/api/v1/users/[address]/stats/route.ts GET": withAddress("/stats"),
  "app/api/v1/admin/exports/[dataset]/route.ts GET": adminExport,
  "app/api/v1/me/export/route.ts GET": plain("GET", "/api/v1/me/export"),
  "app/api/v1/verifications/route.ts POST": spec(
    fc.record({ c: commonArb({}, agentHeavy), body: voteBody }),
    async ({ c, body }) => build("POST", "/api/v1/verifications", c, undefined, await payloadOf(body)),
    [agentVote({ reasoning: "a\u0000b" }), agentVote({ details: { k: "\u0000" } }), agentVote({ details: { k: "\ud800" } })],
  ),
};

// ---------------------------------------------------------------------------------------------

describe("route handler fuzzing", () => {
  it("has a fuzz spec for every exported HTTP method of every app/api route file, and no stale ones", () => {
    expect(ROUTE_FILES.length).toBeGreaterThan(0);
    expect(DISCOVERED.length).toBeGreaterThanOrEqual(ROUTE_FILES.length);
    expect(coverageGaps(DISCOVERED, Object.keys(TABLE))).toEqual({ missing: [], stale: [] });
  });

  for (const key of DISCOVERED) {
    it(`${key}: ${NUM_RUNS} random requests, none ≥ 500, 4xx are problems, rejections write nothing`, async () => {
      const entry = TABLE[key];
      if (!entry) throw new Error(`No fuzz spec for ${key}: add one to TABLE in test/fuzz/routes.int.test.ts`);
      const [file, method] = key.split(" ") as [string, string];
      const statuses = new Map<number, number>();
      const survey = SURVEY ? new Map<string, string>() : undefined;
      await fc.assert(entry.property(await loadHandler(file, method), statuses, survey), { numRuns: NUM_RUNS, seed: SEED, examples: entry.examples });
      if (SURVEY) console.info(`${key}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      if (survey && survey.size > 0) throw new Error(`${survey.size} distinct failure(s) (seed ${SEED}):\n\n${[...survey.values()].join("\n\n")}`);
      // The generated requests must not all bounce off the same check.
      expect(statuses.size, `statuses seen: ${JSON.stringify([...statuses])}`).toBeGreaterThan(key.includes("/health") || key.includes("openapi") || key.includes("nonce") ? 0 : 1);
    }, 180_000);
  }
});

describe("the fuzz checks can fail", () => {
  const problem = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify({ status, title: "T", detail: "D", ...body }), { status, headers: { "content-type": "application/problem+json" } });

  it.each([
    ["a 500", new Response("oops", { status: 500 }), /must be < 500/],
    ["a 503 problem", problemResponse(new ServiceUnavailableError("down")), /must be < 500/],
    ["a 400 in text/plain", new Response("bad", { status: 400, headers: { "content-type": "text/plain" } }), /not application\/problem\+json/],
    ["a 400 problem that is not JSON", new Response("{", { status: 400, headers: { "content-type": "application/problem+json" } }), /not JSON/],
    ["a problem whose status differs", problem(404, { status: 400 }), /≠ response status 404/],
    ["a problem without a title", problem(400, { title: undefined }), /title/],
    ["a problem with an empty detail", problem(400, { detail: "" }), /detail/],
    ["a stack trace", problem(400, { detail: "Error: x\n    at f (/app/lib/x.ts:1:2)" }), /leaks internals/],
    ["a database error", problem(400, { detail: 'invalid input syntax for type uuid: "x"' }), /leaks internals/],
  ])("%s is reported", async (_, res, expected) => {
    const { failures } = await checkResponse(res);
    expect(failures.join("\n")).toMatch(expected);
  });

  it("a clean problem passes", async () => {
    expect((await checkResponse(problemResponse(new BadRequestError("Invalid cursor")))).failures).toEqual([]);
  });

  it("a rejected request that wrote a row is reported as a partial write", async () => {
    const writesThenRejects: Handler = async () => {
      await testDb.handle.db.insert(authNonces).values({ nonce: `fuzz${randomBytes(8).toString("hex")}`, expiresAt: new Date() });
      return problemResponse(new BadRequestError("rejected"));
    };
    const built = await build("POST", "/x", { auth: { kind: "none" }, origin: {}, headers: [], query: [] }, undefined);
    await expect(exercise(writesThenRejects, built)).rejects.toThrow(/partial write: auth_nonces: (\d+) → \1?\d+/);
    // The same write on a success is not a rejection.
    const writesThenSucceeds: Handler = async () => {
      await testDb.handle.db.insert(authNonces).values({ nonce: `fuzz${randomBytes(8).toString("hex")}`, expiresAt: new Date() });
      return Response.json({ ok: true });
    };
    await expect(exercise(writesThenSucceeds, await build("POST", "/x", { auth: { kind: "none" }, origin: {}, headers: [], query: [] }, undefined))).resolves.toBe(200);
  });

  it("a handler that never answers is reported, not waited for", async () => {
    const built = await build("GET", "/x", { auth: { kind: "none" }, origin: {}, headers: [], query: [] }, undefined);
    await expect(exercise(() => new Promise<Response>(() => {}), built, 50)).rejects.toThrow(/no answer within 50 ms/);
  });

  it("a new IPFS pin or block file is seen by the footprint, not only rows", async () => {
    const before = await footprint(testDb.handle.db);
    const pending = await addContent((async function* () {
      yield new TextEncoder().encode(`fuzz footprint ${randomBytes(8).toString("hex")}`);
    })());
    await pending.pin();
    const changes = footprintChanges(before, await footprint(testDb.handle.db));
    await pending.discard();
    expect(changes.join(", ")).toMatch(/ipfs:pins: \d+ → \d+, ipfs:blocks: \d+ → \d+/);
    expect(footprintChanges(before, await footprint(testDb.handle.db))).toEqual([]);
  });

  it("route discovery finds every route file in the tree, however deep, and nothing else", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "nwu-fuzz-routes-"));
    try {
      for (const f of ["app/api/a/route.ts", "app/api/b/[id]/deep/route.ts", "app/api/c/helpers.ts", "app/api/route.test.ts"]) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        writeFileSync(path.join(root, f), "export {};\n");
      }
      expect(findRouteFiles(root)).toEqual(["app/api/a/route.ts", "app/api/b/[id]/deep/route.ts"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("a route file or method missing from the table is reported, and so is a stale entry", () => {
    expect(coverageGaps(["a/route.ts GET", "a/route.ts POST"], ["a/route.ts GET", "b/route.ts GET"])).toEqual({ missing: ["a/route.ts POST"], stale: ["b/route.ts GET"] });
  });

  it("every table in db/schema.ts and the IPFS store are in the footprint", async () => {
    const f = await footprint(testDb.handle.db);
    for (const t of ["contributions", "verifications", "rewards", "jobs", "api_keys", "sessions", "auth_nonces", "audit_log", "stripe_events", "payments", "subscriptions", "usage_records", "payout_batches", "users", "rate_limit_buckets"]) {
      expect(f).toHaveProperty(t);
    }
    expect(f["ipfs:pins"]).toBeGreaterThan(0); // the fixture upload
    expect(f["ipfs:blocks"]).toBeGreaterThan(0);
  });
});
