/**
 * Sealed ballots through the real route handlers: nobody reads a vote or a running score before the
 * decision (the voter excepted), and afterwards anyone recomputes every commitment from the public
 * API alone.
 */
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";

import { GET as getContributionRoute } from "@/app/api/v1/contributions/[id]/route";
import { GET as statusRoute } from "@/app/api/v1/contributions/[id]/status/route";
import { GET as verificationsRoute } from "@/app/api/v1/contributions/[id]/verifications/route";
import { GET as listRoute } from "@/app/api/v1/contributions/route";
import { users } from "@/db/schema";
import { entityTimeline } from "@/lib/audit/queries";
import { setupTestDatabase } from "@/test/db";
import { assignedVote } from "@/test/votes";
import { insertContribution } from "@/test/fixtures";
import { signedInCookie } from "@/test/session";
import { TEST_ORIGIN } from "@/test/siwe";

import { ballotCommitment } from "./commitment";
import { castVote } from "./consensus";
import { votesFor } from "./queries";

const testDb = setupTestDatabase();

let id = "";
const people: Record<"owner" | "voter" | "admin" | "other", { id: string; cookie: string }> = {} as never;

async function person(roles: ("verifier" | "admin" | "contributor")[]) {
  const account = privateKeyToAccount(generatePrivateKey());
  const cookie = await signedInCookie(account);
  const [u] = await testDb.handle.db.update(users).set({ roles }).where(eq(users.address, account.address.toLowerCase())).returning({ id: users.id });
  return { id: u!.id, cookie };
}

const get = async (route: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>, path: string, cookie?: string) => {
  const res = await route(new Request(`${TEST_ORIGIN}${path}`, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({ id }) });
  expect(res.status, path).toBe(200);
  return res.json();
};
const votesAs = (cookie?: string) => get(verificationsRoute, `/api/v1/contributions/${id}/verifications`, cookie);

beforeAll(async () => {
  people.owner = await person(["contributor"]);
  people.voter = await person(["verifier"]);
  people.admin = await person(["admin", "verifier"]);
  people.other = await person(["verifier"]);
  id = await insertContribution(testDb.handle.db, people.owner.id, { title: "Sealed" });
  await castVote({ contributionId: id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: 91, subScores: { quality: 90 }, reasoning: "the AI's view" });
  await assignedVote({ contributionId: id, userId: people.voter.id, voteScore: 84, subScores: { quality: 80 }, reasoning: "a human's view" });
});

describe("while the contribution is open", () => {
  it("shows everyone — owner, other verifiers, admins, visitors — only how many votes are in and their commitments", async () => {
    for (const cookie of [undefined, people.owner.cookie, people.other.cookie, people.admin.cookie]) {
      const page = await votesAs(cookie);
      expect(page.items).toHaveLength(2);
      for (const item of page.items) {
        expect(Object.keys(item).sort()).toEqual(["commitment", "created_at", "id", "sealed"]);
        expect(item.sealed).toBe(true);
        expect(item.commitment).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it("shows the voter their own vote, and nobody the running score", async () => {
    const mine = (await votesAs(people.voter.cookie)).items;
    expect(mine.find((v: { vote_score?: number }) => v.vote_score === 84)).toMatchObject({ sealed: true, reasoning: "a human's view" });
    expect(mine.filter((v: { vote_score?: number }) => v.vote_score !== undefined)).toHaveLength(1);
    expect((await get(statusRoute, `/api/v1/contributions/${id}/status`)).quality_score).toBeNull();
    expect((await get(getContributionRoute, `/api/v1/contributions/${id}`, people.admin.cookie)).quality_score).toBeNull();
    const list = await (await listRoute(new Request(`${TEST_ORIGIN}/api/v1/contributions?limit=100`), undefined)).json();
    expect(list.items.find((c: { id: string }) => c.id === id).quality_score).toBeNull();
  });

  it("publishes each ballot's commitment on the timeline without the voter", async () => {
    const timeline = await entityTimeline("contribution", id);
    const ballots = timeline.filter((t) => t.action === "contribution.vote");
    expect(ballots).toHaveLength(2);
    expect(ballots.every((t) => t.actor === null && /^ballot [0-9a-f]{64}$/.test(t.reason ?? ""))).toBe(true);
    const sealed = (await votesAs()).items.map((v: { commitment: string }) => v.commitment).sort();
    expect(ballots.map((t) => t.reason!.slice("ballot ".length)).sort()).toEqual(sealed);
  });
});

describe("a contribution read a moment behind (from a cache or a replica)", () => {
  it("reveals nothing the primary still seals: a stale 'decided' view still gets sealed ballots", async () => {
    const stale = { id, decided_at: new Date().toISOString(), appeal: null, calibration: false };
    const page = await votesFor(stale, async () => null, { limit: 10 });
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      expect(item).toMatchObject({ sealed: true });
      expect(item).not.toHaveProperty("vote_score");
    }
  });
});

describe("after the decision", () => {
  it("reveals every vote with its voter and salt: each commitment recomputes from the public answer alone", async () => {
    const before = (await votesAs()).items.map((v: { commitment: string }) => v.commitment).sort();
    const decided = await assignedVote({ contributionId: id, userId: people.other.id, voteScore: 88, subScores: {}, reasoning: "third" });
    expect(decided.decided).toBe(true);
    const page = await votesAs();
    expect(page.items).toHaveLength(3);
    for (const v of page.items) {
      expect(v.sealed).toBe(false);
      const voter = v.verifier ?? `agent:${v.agent_id}`;
      expect(ballotCommitment({ contributionId: id, voter, voteScore: v.vote_score, subScores: v.sub_scores, reasoning: v.reasoning, salt: v.salt })).toBe(v.commitment);
    }
    // The revealed votes are the ones committed while open.
    expect(page.items.map((v: { commitment: string }) => v.commitment).filter((c: string) => before.includes(c))).toHaveLength(2);
    expect((await get(statusRoute, `/api/v1/contributions/${id}/status`)).quality_score).toBe(decided.qualityScore);
  });
});
