import { readFileSync } from "node:fs";
import path from "node:path";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { GET as verificationsRoute } from "@/app/api/v1/contributions/[id]/verifications/route";
import { auditLog, contributions, verifications } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { addContent } from "@/lib/ipfs/content";
import { setupTestDatabase } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { setupTestIpfs } from "@/test/ipfs";
import { TEST_ORIGIN } from "@/test/siwe";
import { assignedVote } from "@/test/votes";

import { ballotCommitment } from "./commitment";
import { verifyContributionJob } from "./verify-job";

const testDb = setupTestDatabase();
setupTestIpfs("verify-job");

const fixture = (dir: string, name: string) => readFileSync(path.join(process.cwd(), dir, name));
async function* chunks(bytes: Uint8Array) {
  for (let i = 0; i < bytes.length; i += 256 * 1024) yield bytes.subarray(i, i + 256 * 1024);
}

/** A contribution whose bytes are really on the node, as an upload leaves it. */
async function uploaded(bytes: Buffer, o: { fileName: string; mediaType: string; fileType: "code" | "dataset" | "document" }) {
  const { db } = testDb.handle;
  const owner = await insertUser(db);
  const pending = await addContent(chunks(bytes));
  const id = await insertContribution(db, owner.id, { cid: pending.content.cid, sizeBytes: bytes.length, ...o, title: o.fileName });
  return id;
}

const runJob = (contributionId: string) => verifyContributionJob({ payload: { contributionId } } as never, { signal: new AbortController().signal });

describe("the AI agent's job, over the node", () => {
  it("reads a repository inside a zip and votes on it", async () => {
    const id = await uploaded(fixture("lib/verification/agents/alpha/fixtures", "repo.zip"), { fileName: "repo.zip", mediaType: "application/zip", fileType: "code" });
    await runJob(id);
    const [vote] = await testDb.handle.db.select().from(verifications).where(eq(verifications.contributionId, id));
    expect(vote).toMatchObject({ agentId: "alpha", weight: 0.5 });
    expect(vote!.voteScore).toBeGreaterThanOrEqual(70);
    expect(vote!.details).toMatchObject({ files: 6, tests: true, repository: { readme: true } });
  });

  it("bounds its reading by AGENT_MAX_FILES and AGENT_MAX_BYTES", async () => {
    process.env.AGENT_MAX_FILES = "3";
    process.env.AGENT_MAX_BYTES = String(64 * 1024);
    resetEnvCache();
    try {
      const id = await uploaded(fixture("lib/verification/agents/alpha/fixtures", "repo.zip"), { fileName: "repo.zip", mediaType: "application/zip", fileType: "code" });
      await runJob(id);
      const [vote] = await testDb.handle.db.select().from(verifications).where(eq(verifications.contributionId, id));
      expect(vote!.details.bytesRead as number).toBeLessThanOrEqual(64 * 1024);
      expect(vote!.details.files as number).toBeLessThanOrEqual(3);
    } finally {
      delete process.env.AGENT_MAX_FILES;
      delete process.env.AGENT_MAX_BYTES;
      resetEnvCache();
    }
  });

  it("abstains on a format it cannot judge: no score, no weight, not a vote — three people reach the quorum", async () => {
    const { db } = testDb.handle;
    const id = await uploaded(fixture("test/fixtures/formats", "tone.wav"), { fileName: "tone.wav", mediaType: "audio/wav", fileType: "dataset" });
    await runJob(id);
    await runJob(id); // a re-run finds the abstention and stops
    const rows = await db.select().from(verifications).where(eq(verifications.contributionId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ agentId: "alpha", voteScore: null, subScores: {}, weight: 0 });
    expect(rows[0]!.reasoning).toMatch(/^Abstained: the agent cannot judge audio\/wav/);
    const [open] = await db.select().from(contributions).where(eq(contributions.id, id));
    expect(open).toMatchObject({ status: "pending", verificationCount: 0 });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(entry).toMatchObject({ action: "contribution.abstain", actorId: null });

    // MIN_VERIFICATIONS is 3: two people do not decide it, the abstention does not count as the third.
    for (let i = 0; i < 2; i++) await assignedVote({ contributionId: id, userId: (await insertUser(db, ["verifier"])).id, voteScore: 80, subScores: {}, reasoning: "clean recording" });
    expect((await db.select({ status: contributions.status }).from(contributions).where(eq(contributions.id, id)))[0]!.status).toBe("verifying");
    const third = await assignedVote({ contributionId: id, userId: (await insertUser(db, ["verifier"])).id, voteScore: 80, subScores: {}, reasoning: "clean recording" });
    expect(third).toMatchObject({ decided: true, status: "verified", verificationCount: 3, qualityScore: 80 });

    // Revealed with the votes: an abstention, its commitment recomputable like any ballot's.
    const body = await (await verificationsRoute(new Request(`${TEST_ORIGIN}/x?limit=10`), { params: Promise.resolve({ id }) })).json();
    const abstention = body.items.find((v: { agent_id: string | null }) => v.agent_id === "alpha");
    expect(abstention).toMatchObject({ vote_score: null, abstained: true, weight: 0 });
    expect(ballotCommitment({ contributionId: id, voter: "agent:alpha", voteScore: null, subScores: abstention.sub_scores, reasoning: abstention.reasoning, salt: abstention.salt })).toBe(abstention.commitment);
    expect(body.items.filter((v: { abstained: boolean }) => !v.abstained)).toHaveLength(3);
  });
});
