import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { POST as logoutRoute } from "@/app/api/auth/logout/route";
import { GET as sessionRoute } from "@/app/api/auth/session/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";
import { authNonces, sessions, subscriptions, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { TEST_ORIGIN, newAccount, signedSiwe } from "@/test/siwe";

const testDb = setupTestDatabase();

async function getNonce(): Promise<string> {
  const res = await nonceRoute(new Request(`${TEST_ORIGIN}/api/auth/nonce`), undefined);
  expect(res.status).toBe(200);
  return (await res.json()).nonce;
}

function verify(body: unknown, headers: Record<string, string> = {}) {
  return verifyRoute(
    new Request(`${TEST_ORIGIN}/api/auth/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );
}

function cookieOf(res: Response): string {
  const setCookie = res.headers.get("set-cookie") ?? "";
  const match = /nwu_session=([^;]*)/.exec(setCookie);
  if (!match?.[1]) throw new Error(`no session cookie in: ${setCookie}`);
  return `nwu_session=${match[1]}`;
}

const session = (cookie: string) => sessionRoute(new Request(`${TEST_ORIGIN}/api/auth/session`, { headers: { cookie } }), undefined);

async function expect401(res: Response, reason: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = await res.json();
  expect(body.error).toMatch(reason);
  expect(res.headers.get("set-cookie")).toBeNull();
}

describe("nonce", () => {
  it("is ≥16 alphanumeric characters, unique, stored with a 5-minute life", async () => {
    const [a, b] = await Promise.all([getNonce(), getNonce()]);
    expect(a).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(a).not.toBe(b);
    const [row] = await testDb.handle.db.select().from(authNonces).where(eq(authNonces.nonce, a));
    const life = row!.expiresAt.getTime() - row!.createdAt.getTime();
    expect(life).toBe(5 * 60 * 1000);
    expect(row!.consumedAt).toBeNull();
  });
});

describe("sign-in", () => {
  it("creates the user at first sign-in, sets a hardened cookie, and answers the session", async () => {
    const account = newAccount();
    const res = await verify(await signedSiwe(account, { nonce: await getNonce() }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ address: account.address.toLowerCase(), roles: ["contributor"] });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain http here; https sets Secure (below)
    const me = await session(cookieOf(res));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ address: account.address, roles: ["contributor"], chainId: 1 });

    const { db } = testDb.handle;
    const [user] = await db.select().from(users).where(eq(users.address, account.address.toLowerCase()));
    expect(user).toBeDefined();
    const subs = await db.select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    expect(subs.map((s) => s.plan)).toEqual(["free"]);
  });

  it("marks the cookie Secure when the app is served over https (a trusted load balancer says so)", async () => {
    process.env.TRUST_PROXY = "on";
    resetEnvCache();
    try {
      const account = newAccount();
      const origin = "https://nwu.example";
      const res = await verifyRoute(
        new Request("http://10.0.0.5:3000/api/auth/verify", {
          method: "POST",
          headers: { "content-type": "application/json", origin, "x-forwarded-proto": "https", "x-forwarded-host": "nwu.example" },
          body: JSON.stringify(await signedSiwe(account, { nonce: await getNonce(), domain: "nwu.example", uri: origin })),
        }),
        undefined,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toMatch(/Secure/i);
    } finally {
      delete process.env.TRUST_PROXY;
      resetEnvCache();
    }
  });

  it("rotates the session at sign-in: the previous cookie of this browser is revoked", async () => {
    const account = newAccount();
    const first = cookieOf(await verify(await signedSiwe(account, { nonce: await getNonce() })));
    const second = await verify(await signedSiwe(account, { nonce: await getNonce() }), { cookie: first });
    expect(second.status).toBe(200);
    const rotated = cookieOf(second);
    expect(rotated).not.toBe(first);
    expect((await session(first)).status).toBe(401);
    expect((await session(rotated)).status).toBe(200);
  });

  // Issue 17: pages read it to skip /api/auth/session (and its 401) when nobody is signed in.
  it("sets and clears a script-readable signed-in flag beside the session cookie", async () => {
    const signedIn = await verify(await signedSiwe(newAccount(), { nonce: await getNonce() }));
    const flag = signedIn.headers.getSetCookie().find((c) => c.startsWith("nwu_signed_in="));
    expect(flag).toMatch(/^nwu_signed_in=1;/);
    expect(flag).not.toMatch(/HttpOnly/i);
    const out = await logoutRoute(new Request(`${TEST_ORIGIN}/api/auth/logout`, { method: "POST", headers: { cookie: cookieOf(signedIn), origin: TEST_ORIGIN } }), undefined);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("nwu_signed_in="))).toMatch(/^nwu_signed_in=;.*Max-Age=0/i);
  });

  it("logout revokes the session server-side", async () => {
    const cookie = cookieOf(await verify(await signedSiwe(newAccount(), { nonce: await getNonce() })));
    const out = await logoutRoute(new Request(`${TEST_ORIGIN}/api/auth/logout`, { method: "POST", headers: { cookie, origin: TEST_ORIGIN } }), undefined);
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/nwu_session=;/);
    expect((await session(cookie)).status).toBe(401);
  });

  it("refuses an expired session and one past its absolute maximum", async () => {
    const { db } = testDb.handle;
    const idle = cookieOf(await verify(await signedSiwe(newAccount(), { nonce: await getNonce() })));
    const absolute = cookieOf(await verify(await signedSiwe(newAccount(), { nonce: await getNonce() })));
    expect((await session(idle)).status).toBe(200);
    const count = await db.$count(sessions);
    expect(count).toBeGreaterThanOrEqual(2);
    // Age the two newest sessions: one idle past expires_at, one past absolute_expires_at.
    const newest = await db.select({ id: sessions.id }).from(sessions).orderBy(sql`${sessions.createdAt} desc`).limit(2);
    await db.update(sessions).set({ absoluteExpiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, newest[0]!.id));
    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, newest[1]!.id));
    expect((await session(idle)).status).toBe(401);
    expect((await session(absolute)).status).toBe(401);
  });

  it("refuses a cross-origin sign-in (login CSRF)", async () => {
    const res = await verify(await signedSiwe(newAccount(), { nonce: await getNonce() }), { origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });
});

describe("sign-in negatives: each a 401 with its reason, never a 500", () => {
  const future = (ms: number) => new Date(Date.now() + ms);

  it.each([
    ["wrong domain", { domain: "evil.example" }, /Domain mismatch/],
    ["wrong URI", { uri: "https://evil.example/login" }, /URI must be on http:\/\/localhost:3000/],
    ["disallowed chain", { chainId: 137 }, /Chain 137 is not allowed/],
    ["missing expirationTime", { expirationTime: null }, /expirationTime is required/],
    ["past expirationTime", { issuedAt: new Date(Date.now() - 20 * 60_000), expirationTime: new Date(Date.now() - 60_000) }, /expired/],
    ["issuedAt in the future", { issuedAt: future(60 * 60_000), expirationTime: future(2 * 60 * 60_000) }, /issuedAt is in the future/],
    ["future notBefore", { notBefore: future(10 * 60_000), expirationTime: future(20 * 60_000) }, /notBefore/],
  ] as const)("%s", async (_, options, reason) => {
    const res = await verify(await signedSiwe(newAccount(), { nonce: await getNonce(), ...options }));
    await expect401(res, reason);
  });

  it("unknown nonce", async () => {
    await expect401(await verify(await signedSiwe(newAccount(), { nonce: "NeverIssuedByUs123456" })), /Unknown nonce/);
  });

  it("replayed nonce", async () => {
    const account = newAccount();
    const signed = await signedSiwe(account, { nonce: await getNonce() });
    expect((await verify(signed)).status).toBe(200);
    await expect401(await verify(signed), /Nonce already used/);
  });

  it("expired nonce", async () => {
    const nonce = await getNonce();
    await testDb.handle.db.update(authNonces).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(authNonces.nonce, nonce));
    await expect401(await verify(await signedSiwe(newAccount(), { nonce })), /Nonce expired/);
  });

  it("a signature by another key", async () => {
    const victim = newAccount();
    const attacker = newAccount();
    const message = (await signedSiwe(victim, { nonce: await getNonce() })).message;
    const signature = await attacker.signMessage({ message });
    await expect401(await verify({ message, signature }), /Signature does not match/);
  });

  it.each([
    ["garbage hex", "0xdeadbeef"],
    ["65 bytes of zeros", `0x${"00".repeat(65)}`],
    ["not hex", "hello"],
    ["bad v byte", `0x${"11".repeat(64)}ff`],
  ])("a garbage signature (%s)", async (_, signature) => {
    const { message } = await signedSiwe(newAccount(), { nonce: await getNonce() });
    await expect401(await verify({ message, signature }), /Signature/);
  });

  it.each([
    ["not JSON", "{nope", 400],
    ["missing fields", { message: "x" }, 401],
    ["not an EIP-4361 message", { message: "hello\nworld", signature: "0x00" }, 401],
  ] as const)("a malformed body (%s)", async (_, body, status) => {
    const res = await verify(body);
    expect(res.status).toBe(status);
  });

  it("does not consume the nonce when the signature is bad", async () => {
    const account = newAccount();
    const nonce = await getNonce();
    const { message } = await signedSiwe(account, { nonce });
    expect((await verify({ message, signature: "0x1234" })).status).toBe(401);
    expect((await verify({ message, signature: await account.signMessage({ message }) })).status).toBe(200);
  });
});

describe("concurrency", () => {
  it("two concurrent sign-ins with one nonce yield exactly one session", async () => {
    const account = newAccount();
    const { db } = testDb.handle;
    const before = await db.$count(sessions);
    const signed = await signedSiwe(account, { nonce: await getNonce() });
    const results = await Promise.all(Array.from({ length: 5 }, () => verify(signed)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401]);
    expect((await db.$count(sessions)) - before).toBe(1);
  });
});

describe("configuration-driven rules", () => {
  it("makes ADMIN_ADDRESSES admins (any case)", async () => {
    const account = newAccount();
    process.env.ADMIN_ADDRESSES = account.address.toUpperCase().replace("0X", "0x");
    resetEnvCache();
    try {
      const res = await verify(await signedSiwe(account, { nonce: await getNonce() }));
      expect((await res.json()).roles).toEqual(["contributor", "admin"]);
    } finally {
      delete process.env.ADMIN_ADDRESSES;
      resetEnvCache();
    }
  });

  it("binds messages to APP_URL when set, whatever Host header a caller forges", async () => {
    process.env.APP_URL = "https://nwu.example";
    resetEnvCache();
    try {
      const signed = await signedSiwe(newAccount(), { nonce: await getNonce(), domain: "evil.example", uri: "https://evil.example" });
      const res = await verifyRoute(
        new Request("https://evil.example/api/auth/verify", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://nwu.example", host: "evil.example" },
          body: JSON.stringify(signed),
        }),
        undefined,
      );
      await expect401(res, /Domain mismatch: expected nwu.example/);
    } finally {
      delete process.env.APP_URL;
      resetEnvCache();
    }
  });
});
