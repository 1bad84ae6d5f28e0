/**
 * The demo seed makes a living product: real files pinned in the node, every type and every public
 * status, votes cast through the consensus code (sealed until decided), reasons, rewards, an appeal —
 * and re-running it adds nothing.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { queryRows } from "@/db/client";
import { appeals, assignments, contributions, rewards, users, verifications } from "@/db/schema";
import { CONTRIBUTION_STATUSES, FILE_TYPES } from "@/db/vocabulary";
import { platformFigures, recentVerified } from "@/lib/contributions/overview";
import { listContributions } from "@/lib/contributions/queries";
import { ANONYMOUS } from "@/lib/contributions/visibility";
import { isPinned, readContent } from "@/lib/ipfs/content";
import { claimNext } from "@/lib/verification/assignments";
import { setupTestDatabase } from "@/test/db";
import { setupTestIpfs } from "@/test/ipfs";

import { DEMO_SAMPLES } from "./samples";
import { isDatabaseEmpty, seedDemo } from "./seed";

const testDb = setupTestDatabase();
setupTestIpfs("seed");

async function readAll(cid: string, size: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of readContent(cid, { offset: 0, length: size })) parts.push(chunk);
  return Buffer.concat(parts);
}

describe("seedDemo", () => {
  it("seeds users and sample contributions of every type and public status, through the real domain code", async () => {
    const { db } = testDb.handle;
    expect(await isDatabaseEmpty(db)).toBe(true);
    const started = Date.now();
    expect(await seedDemo(db)).toEqual({ users: DEMO_ACCOUNTS.length, contributions: DEMO_SAMPLES.length });
    expect(Date.now() - started).toBeLessThan(20_000);

    const rows = await db.select().from(contributions);
    expect(new Set(rows.map((c) => c.fileType))).toEqual(new Set(FILE_TYPES));
    expect(new Set(rows.map((c) => c.status))).toEqual(new Set(CONTRIBUTION_STATUSES));
    // The holds are the admin's, with their reasons; the halted one's content is withheld from the public.
    const halted = rows.find((c) => c.status === "halted")!;
    expect(halted.haltReason).toMatch(/without their consent/);
    const listed = (await listContributions({ limit: 100 }, ANONYMOUS)).items.find((i) => i.id === halted.id);
    expect(listed).toMatchObject({ status: "halted", cid: "", sha256: "" });
    // Real files: pinned, and the node gives back the sample's bytes.
    for (const c of rows) {
      const sample = DEMO_SAMPLES.find((s) => s.title === c.title)!;
      expect(await isPinned(c.cid)).toBe(true);
      expect((await readAll(c.cid, c.sizeBytes)).equals(sample.bytes())).toBe(true);
    }

    // Each decided one has the AI's ballot and two assigned people's, revealed with their commitments; a reason per ballot.
    const decided = rows.filter((c) => c.status === "verified" || c.status === "rejected");
    expect(decided).toHaveLength(3);
    for (const c of decided) {
      const votes = await db.select().from(verifications).where(eq(verifications.contributionId, c.id));
      expect(votes.map((v) => v.agentType).sort()).toEqual(["alpha", "human", "human"]);
      expect(votes.every((v) => /^[0-9a-f]{64}$/.test(v.commitment ?? ""))).toBe(true);
      expect(c.decision?.reasons).toHaveLength(3);
      expect(c.qualityScore).not.toBeNull();
    }
    const rejected = rows.find((c) => c.status === "rejected")!;
    expect((rejected.decision!.reasons as { reasoning: string }[]).map((r) => r.reasoning).join(" ")).toContain("Headings without the steps");
    // People voted on what they were assigned: every human ballot consumed an assignment.
    const [unassigned] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM verifications v WHERE v.agent_type = 'human' AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.contribution_id = v.contribution_id AND a.verifier_id = v.verifier_id AND a.status = 'voted')`,
    );
    expect(unassigned!.n).toBe(0);

    // Rewards: pending for the verified ones, none distributed (no chain in this test), no made-up transaction.
    const paid = await db.select().from(rewards);
    expect(paid).toHaveLength(2);
    expect(paid.every((r) => r.status === "pending" && r.txHash === null)).toBe(true);

    // The appeal is open, and the pending audio carries the AI's abstention only.
    const [appeal] = await db.select().from(appeals);
    expect(appeal?.status).toBe("open");
    const pending = rows.find((c) => c.status === "pending")!;
    const [abstention] = await db.select().from(verifications).where(eq(verifications.contributionId, pending.id));
    expect(abstention?.voteScore).toBeNull();
  });

  it("leaves open work for the demo verifiers to be assigned: the appeal to the fresh panel, not to the first round", async () => {
    const { db } = testDb.handle;
    const ids = await db.select({ id: users.id, address: users.address }).from(users);
    const idOf = (i: number) => ids.find((u) => u.address === DEMO_ACCOUNTS[i]!.address)!.id;
    const [appealed] = await db.select({ id: contributions.id }).from(contributions).where(eq(contributions.status, "appealed"));
    const drawn = async (i: number) => {
      const got = new Set<string>();
      for (let n = 0; n < 3; n++) {
        const { assignment } = await claimNext(idOf(i));
        if (assignment) got.add(assignment.contributionId);
      }
      return got;
    };
    expect((await drawn(5)).has(appealed!.id)).toBe(true);
    expect((await drawn(1)).has(appealed!.id)).toBe(false);
    await db.delete(assignments).where(eq(assignments.status, "live"));
  });

  it("gives the home page its figures: totals in one statement, the newest verified work", async () => {
    const paid = await testDb.handle.db.select({ amount: rewards.amount }).from(rewards);
    const figures = await platformFigures();
    expect(figures).toMatchObject({ contributions: DEMO_SAMPLES.length, verified: 2, open: 3, verifiers: 5 });
    expect(Number(figures.rewarded)).toBeCloseTo(paid.reduce((s, r) => s + Number(r.amount), 0), 6);
    expect((await recentVerified(5)).map((c) => c.title).sort()).toEqual(["Hourly air quality at three stations", "Streaming statistics for sensor readings"]);
    expect(await recentVerified(1)).toHaveLength(1);
  });

  it("is idempotent", async () => {
    const { db } = testDb.handle;
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(verifications);
    expect(await seedDemo(db)).toEqual({ users: 0, contributions: 0 });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(verifications)).toEqual(before);
    expect(await db.$count(contributions)).toBe(DEMO_SAMPLES.length);
  });
});
