/**
 * The demo accounts' private keys are public. In demo mode they hold their seeded roles; with the
 * production rules (DEMO_MODE off, or auto on a public APP_URL or PostgreSQL) they hold none.
 */
import { eq } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { GET as sessionRoute } from "@/app/api/auth/session/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";
import { POST as voteRoute } from "@/app/api/v1/verifications/route";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { users } from "@/db/schema";
import { seedDemo } from "@/lib/demo/seed";
import { createApiKey } from "@/lib/api-keys/keys";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { setupTestIpfs } from "@/test/ipfs";
import { signedSiwe } from "@/test/siwe";

const testDb = setupTestDatabase();
// The seed pins its sample files in a node of this file's own.
setupTestIpfs("demo-mode");
const saved = { DEMO_MODE: process.env.DEMO_MODE, APP_URL: process.env.APP_URL };

function setEnv(values: Partial<typeof saved>) {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

/** Signs a demo account in through the real routes on `origin`; returns its roles as the session reports them. */
async function signIn(account: (typeof DEMO_ACCOUNTS)[number], origin: string): Promise<string[]> {
  const { nonce } = (await (await nonceRoute(new Request(`${origin}/api/auth/nonce`), undefined)).json()) as { nonce: string };
  const signed = await signedSiwe(privateKeyToAccount(account.privateKey), { nonce, domain: new URL(origin).host, uri: origin });
  const res = await verifyRoute(
    new Request(`${origin}/api/auth/verify`, { method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify(signed) }),
    undefined,
  );
  expect(res.status).toBe(200);
  const cookie = /nwu_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")![0];
  const session = (await (await sessionRoute(new Request(`${origin}/api/auth/session`, { headers: { cookie } }), undefined)).json()) as { roles: string[] };
  expect(session.roles).toEqual(((await res.json()) as { roles: string[] }).roles);
  return session.roles;
}

beforeAll(async () => {
  await seedDemo(testDb.handle.db);
});
afterEach(() => setEnv(saved));

describe("demo accounts", () => {
  const admin = DEMO_ACCOUNTS[0];
  const verifier = DEMO_ACCOUNTS[1];

  it("hold their roles in demo mode", async () => {
    setEnv({ DEMO_MODE: "on", APP_URL: undefined });
    expect((await signIn(admin, "http://localhost:3000")).sort()).toEqual(["admin", "contributor", "verifier"]);
    expect((await signIn(verifier, "http://localhost:3000")).sort()).toEqual(["contributor", "verifier"]);
  });

  it("hold no role on a public address with the defaults (the reported case)", async () => {
    setEnv({ DEMO_MODE: undefined, APP_URL: "https://nwu.example.org" });
    expect(await signIn(admin, "https://nwu.example.org")).toEqual([]);
    expect(await signIn(verifier, "https://nwu.example.org")).toEqual([]);
  });

  it("hold no role with DEMO_MODE=off, even on localhost", async () => {
    setEnv({ DEMO_MODE: "off", APP_URL: undefined });
    expect(await signIn(admin, "http://localhost:3000")).toEqual([]);
  });

  it("keys made in demo mode stop voting outside it", async () => {
    setEnv({ DEMO_MODE: "on", APP_URL: undefined });
    const [row] = await testDb.handle.db.select({ id: users.id }).from(users).where(eq(users.address, verifier.address));
    const { key } = await createApiKey({ userId: row!.id, name: "demo bot", scopes: ["verifications:write"] });
    const owner = await insertUser(testDb.handle.db);
    const id = await insertContribution(testDb.handle.db, owner.id);
    setEnv({ DEMO_MODE: "off", APP_URL: undefined });
    const res = await voteRoute(
      new Request("http://localhost:3000/api/v1/verifications", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ contribution_id: id, vote_score: 100 }),
      }),
      undefined,
    );
    expect(res.status).toBe(403);
  });
});
