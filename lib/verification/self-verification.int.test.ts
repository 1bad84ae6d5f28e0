/**
 * The self-verification attack a tester found: a fresh account minted two keys with
 * verifications:write, uploaded a file and voted 100 on it twice; with the AI's vote that was the
 * quorum, and its owner was paid. Every step of it is replayed here through the real route handlers.
 */
import { eq, sql } from "drizzle-orm";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";

import { POST as uploadRoute } from "@/app/api/v1/contributions/route";
import { POST as voteRoute } from "@/app/api/v1/verifications/route";
import { apiKeys, contributions, rewards, users, verifications } from "@/db/schema";
import { createApiKey, generateKey, hashKey } from "@/lib/api-keys/keys";
import { ForbiddenError } from "@/lib/errors";
import { setRole } from "@/lib/users/roles";
import { setupTestDatabase } from "@/test/db";
import { assignedVote } from "@/test/votes";
import { insertContribution, insertUser } from "@/test/fixtures";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN } from "@/test/siwe";


const testDb = setupTestDatabase();

const vote = (key: string, contributionId: string, score = 100) =>
  voteRoute(
    new Request(`${TEST_ORIGIN}/api/v1/verifications`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ contribution_id: contributionId, vote_score: score, reasoning: "excellent work" }),
    }),
    undefined,
  );

/** A key row written straight to the table, as if made while the owner held a role they no longer have. */
async function plantKey(userId: string, scopes: string[]): Promise<string> {
  const key = generateKey();
  await testDb.handle.db.insert(apiKeys).values({ userId, name: "planted", keyHash: hashKey(key), prefix: key.slice(0, 10), last4: key.slice(-4), scopes, plan: "free" });
  return key;
}

async function upload(cookie: string): Promise<string> {
  const fd = new FormData();
  fd.append("title", "My own work");
  fd.append("file_type", "dataset");
  fd.append("file", new Blob([`id,value\n${Array.from({ length: 40 }, (_, i) => `${i},${i * 7}`).join("\n")}\n`]), "mine.csv");
  const res = await uploadRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions`, { method: "POST", headers: { cookie, origin: TEST_ORIGIN }, body: fd }), undefined);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const voteCount = async (id: string) =>
  (await testDb.handle.db.select({ n: sql<number>`count(*)::int` }).from(verifications).where(eq(verifications.contributionId, id)))[0]!.n;

let admin: { id: string };
beforeAll(async () => {
  admin = await insertUser(testDb.handle.db, ["admin"]);
});

describe("nobody verifies their own work", () => {
  it("a fresh free account cannot mint a key that votes, and its upload stays unreviewed", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const cookie = await signedInCookie(account);
    const [me] = await testDb.handle.db.select({ id: users.id }).from(users).where(eq(users.address, account.address.toLowerCase()));
    const id = await upload(cookie);
    for (const name of ["voter one", "voter two"]) {
      await expect(createApiKey({ userId: me!.id, name, scopes: ["verifications:write"] })).rejects.toBeInstanceOf(ForbiddenError);
    }
    // Even a key that carries the scope (made while the owner held a role since revoked) cannot vote.
    const planted = await plantKey(me!.id, ["verifications:write"]);
    const res = await vote(planted, id);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/verifications:write scope is only for verifier and agent/);
    expect(await voteCount(id)).toBe(0);
    const [c] = await testDb.handle.db.select({ status: contributions.status }).from(contributions).where(eq(contributions.id, id));
    expect(c!.status).not.toBe("verified");
    expect(await testDb.handle.db.select().from(rewards).where(eq(rewards.contributionId, id))).toHaveLength(0);
  });

  it("a verifier's keys never vote on the verifier's own work", async () => {
    const { db } = testDb.handle;
    const verifier = await insertUser(db, ["contributor", "verifier"]);
    const mine = await insertContribution(db, verifier.id);
    const { key } = await createApiKey({ userId: verifier.id, name: "bot", scopes: ["verifications:write"] });
    const res = await vote(key, mine);
    expect(res.status).toBe(403);
    expect(await voteCount(mine)).toBe(0);
  });

  it("all of one person's keys, and their session, are one voter: one vote per contribution", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const agent = await insertUser(db);
    await setRole({ actorId: admin.id, address: agent.address, role: "agent", grant: true });
    const id = await insertContribution(db, owner.id);
    const keys = await Promise.all(["a", "b"].map(async (name) => (await createApiKey({ userId: agent.id, name, scopes: ["verifications:write"] })).key));
    expect((await vote(keys[0]!, id, 90)).status).toBe(201);
    expect((await vote(keys[1]!, id, 90)).status).toBe(409);
    // A new key after revoking the old ones is the same voter too.
    await db.update(apiKeys).set({ active: false }).where(eq(apiKeys.userId, agent.id));
    const fresh = (await createApiKey({ userId: agent.id, name: "c", scopes: ["verifications:write"] })).key;
    expect((await vote(fresh, id, 90)).status).toBe(409);
    // The same person signed in as a verifier cannot add a second vote either.
    await setRole({ actorId: admin.id, address: agent.address, role: "verifier", grant: true });
    await expect(assignedVote({ contributionId: id, userId: agent.id, voteScore: 90, subScores: {}, reasoning: "again" })).rejects.toThrow(/already voted/);
    const rows = await db.select({ verifierId: verifications.verifierId, agentType: verifications.agentType }).from(verifications).where(eq(verifications.contributionId, id));
    expect(rows).toEqual([{ verifierId: agent.id, agentType: "external" }]);
  });

  it("revoking the agent role disables its keys' votes at once", async () => {
    const { db } = testDb.handle;
    const owner = await insertUser(db);
    const agent = await insertUser(db);
    await setRole({ actorId: admin.id, address: agent.address, role: "agent", grant: true });
    const { key } = await createApiKey({ userId: agent.id, name: "bot", scopes: ["verifications:write"] });
    await setRole({ actorId: admin.id, address: agent.address, role: "agent", grant: false });
    const id = await insertContribution(db, owner.id);
    expect((await vote(key, id)).status).toBe(403);
    expect(await voteCount(id)).toBe(0);
  });
});
