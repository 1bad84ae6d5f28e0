/**
 * POST /api/demo/session: demo mode's role switch. It signs a browser in as a demo account only in
 * demo mode (a 404 otherwise, whatever is sent), refuses other origins and unknown roles, and the
 * session it creates holds that account's roles and replaces the browser's previous one.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import { GET as sessionRoute } from "@/app/api/auth/session/route";
import { POST as demoSessionRoute } from "@/app/api/demo/session/route";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { users } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN, newAccount } from "@/test/siwe";

const testDb = setupTestDatabase();
const saved = { DEMO_MODE: process.env.DEMO_MODE, APP_URL: process.env.APP_URL };

function setDemoMode(value: "on" | "off") {
  process.env.DEMO_MODE = value;
  delete process.env.APP_URL;
  resetEnvCache();
}

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

const post = (body: unknown, headers: Record<string, string> = { origin: TEST_ORIGIN }) =>
  demoSessionRoute(
    new Request(`${TEST_ORIGIN}/api/demo/session`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    undefined,
  );

const cookieOf = (res: Response) => /nwu_session=[^;]*/.exec(res.headers.get("set-cookie") ?? "")?.[0];

async function sessionOf(cookie: string): Promise<Response> {
  return sessionRoute(new Request(`${TEST_ORIGIN}/api/auth/session`, { headers: { cookie } }), undefined);
}

describe("POST /api/demo/session", () => {
  it("does not exist outside demo mode, whatever is sent", async () => {
    setDemoMode("off");
    for (const res of [await post({ role: "admin" }), await post({ role: "root" }), await post("{", {})]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(cookieOf(res)).toBeUndefined();
    }
  });

  it("signs in as each role's demo account, holding that account's roles", async () => {
    setDemoMode("on");
    const expected = { admin: DEMO_ACCOUNTS[0], verifier: DEMO_ACCOUNTS[1], contributor: DEMO_ACCOUNTS[3] };
    for (const [role, account] of Object.entries(expected)) {
      const res = await post({ role });
      expect(res.status, role).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as { address: string; roles: string[] };
      expect(body.address.toLowerCase()).toBe(account.address);
      const session = await sessionOf(cookieOf(res)!);
      expect(session.status).toBe(200);
      const seen = (await session.json()) as { address: string; roles: string[] };
      expect(seen.address.toLowerCase()).toBe(account.address);
      expect([...seen.roles].sort()).toEqual([...account.roles].sort());
    }
    // Created with its roles on first use (no seed ran here), exactly once.
    const rows = await testDb.handle.db.select({ roles: users.roles }).from(users).where(eq(users.address, DEMO_ACCOUNTS[0].address));
    expect(rows).toEqual([{ roles: ["contributor", "verifier", "admin"] }]);
  });

  it("replaces the browser's previous session (a wallet's or another role's)", async () => {
    setDemoMode("on");
    const walletCookie = await signedInCookie(newAccount());
    const res = await post({ role: "verifier" }, { origin: TEST_ORIGIN, cookie: walletCookie });
    expect(res.status).toBe(200);
    expect((await sessionOf(walletCookie)).status).toBe(401);
    expect((await sessionOf(cookieOf(res)!)).status).toBe(200);
  });

  it("refuses unknown roles and malformed bodies with 400, other origins with 403", async () => {
    setDemoMode("on");
    for (const body of [{ role: "root" }, { role: "agent" }, {}, { role: ["admin"] }, "not json"]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(cookieOf(res)).toBeUndefined();
    }
    expect((await post({ role: "admin" }, { origin: "http://evil.example" })).status).toBe(403);
    expect((await post({ role: "admin" }, {})).status).toBe(403);
    expect((await post({ role: "admin" }, { "sec-fetch-site": "same-origin" })).status).toBe(200);
  });
});
