import "@/test/next-async-storage";

import { beforeAll, describe, expect, it } from "vitest";

import ContributionPage from "@/app/contributions/[id]/page";
import ContributionsPage from "@/app/contributions/page";
import { countStatements } from "@/db/statement-counter";
import { setupTestDatabase } from "@/test/db";
import { assignedVote } from "@/test/votes";
import { insertContribution, insertUser } from "@/test/fixtures";
import { inRequestScope } from "@/test/request-scope";


const testDb = setupTestDatabase();
let id = "";

beforeAll(async () => {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  for (let i = 0; i < 120; i++) await insertContribution(db, owner.id, { title: `Item ${i}` });
  id = await insertContribution(db, owner.id, { title: "Voted on" });
  for (let i = 0; i < 30; i++) {
    const v = await insertUser(db, ["verifier"]);
    if (i < 2) await assignedVote({ contributionId: id, userId: v.id, voteScore: 60, subScores: {}, reasoning: "x" });
  }
});

// Server components are async functions: rendering one runs all of its data fetching.
describe("pages issue at most 3 SQL statements whatever the page size", () => {
  it.each(["", "limit=1", "limit=100", "type=document&limit=100", "q=Item"])("/contributions?%s", async (query) => {
    const { count } = await countStatements(() => ContributionsPage({ searchParams: Promise.resolve(Object.fromEntries(new URLSearchParams(query))) }));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(3);
  });

  it("/contributions/[id]", async () => {
    // An anonymous visitor (the page asks who is looking: the votes are sealed until the decision).
    const { count } = await countStatements(() => inRequestScope({}, () => ContributionPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) })));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(3);
  });
});
