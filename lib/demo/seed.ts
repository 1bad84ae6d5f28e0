/**
 * The demo data `npm start` seeds into an empty database in demo mode (and `npm run db:seed` adds).
 * It lives in lib/, not db/, so that demo data may use domain code (files pinned to IPFS, real
 * contributions) — db/ never imports lib/.
 */
import "server-only";

import { createHash } from "node:crypto";

import { and, count, eq, inArray, sql } from "drizzle-orm";

import type { Db, Tx } from "@/db/client";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { contributions, payments, subscriptions, users } from "@/db/schema";
import { storeUpload } from "@/lib/contributions/upload";
import { fileAppeal } from "@/lib/verification/appeals";
import { assignTo } from "@/lib/verification/assignments";
import { castVote } from "@/lib/verification/consensus";
import { moderate } from "@/lib/verification/moderation";
import { castAiVote } from "@/lib/verification/verify-job";

import { DEMO_SAMPLES, type DemoSample } from "./samples";

/** The demo admin's index in DEMO_ACCOUNTS: the moderator of the held samples. */
const DEMO_ADMIN = DEMO_ACCOUNTS.findIndex((a) => a.username === "demo-admin");

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/**
 * Demo users for every role (a free plan each; the first contributor on Pro), then sample
 * contributions of every type in every public status, made the way people make them: uploaded into
 * the IPFS node, voted on by the AI agent and by assigned verifiers (sealed ballots), decided,
 * rejected with reasons, appealed. Idempotent: re-running adds nothing twice (a sample its owner
 * already uploaded is left as it is). `db` is the app's database (getDb()): the domain code seeds through it.
 */
export async function seedDemo(db: Db): Promise<{ users: number; contributions: number }> {
  const added = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          address: a.address,
          username: a.username,
          roles: [...a.roles],
          reputation: (a.roles as readonly string[]).includes("verifier") ? 1 : 0,
        })),
      )
      .onConflictDoNothing({ target: users.address })
      .returning({ id: users.id });
    if (inserted.length > 0) {
      await tx.insert(subscriptions).values(inserted.map((u) => ({ userId: u.id, plan: "free" as const, status: "active" as const })));
      await seedDemoBilling(tx, inserted[3]?.id);
    }
    return inserted.length;
  });
  const ids = await demoUserIds(db);
  let made = 0;
  for (const sample of DEMO_SAMPLES) if (await seedSample(db, ids, sample)) made++;
  await db.execute(sql`ANALYZE`);
  return { users: added, contributions: made };
}

/** Demo user ids in DEMO_ACCOUNTS order. */
async function demoUserIds(db: Db): Promise<string[]> {
  const rows = await db.select({ id: users.id, address: users.address }).from(users).where(inArray(users.address, DEMO_ACCOUNTS.map((a) => a.address)));
  const byAddress = new Map(rows.map((r) => [r.address, r.id]));
  return DEMO_ACCOUNTS.map((a) => byAddress.get(a.address)!);
}

/** One sample through the real path: upload, the AI's vote, assigned verifiers' votes, an appeal. False when it was there already. */
async function seedSample(db: Db, ids: string[], sample: DemoSample): Promise<boolean> {
  const bytes = sample.bytes();
  const ownerId = ids[sample.owner]!;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const [existing] = await db.select({ id: contributions.id }).from(contributions).where(and(eq(contributions.userId, ownerId), eq(contributions.sha256, sha256)));
  if (existing) return false;
  const { id } = await storeUpload({
    userId: ownerId,
    fileName: sample.fileName,
    file: (async function* () {
      yield bytes;
    })(),
    fields: { title: sample.title, description: sample.description, file_type: sample.fileType, metadata: JSON.stringify(sample.metadata) },
  });
  await castAiVote(id);
  for (const vote of sample.votes) {
    const userId = ids[vote.voter]!;
    // People vote on what they were assigned: the assignment first, as /verify hands it out.
    if (!(await db.transaction((tx) => assignTo(tx, id, userId)))) throw new Error(`demo sample "${sample.title}" could not be assigned to ${DEMO_ACCOUNTS[vote.voter]?.username}`);
    await castVote({ contributionId: id, voter: { kind: "human", userId }, voteScore: vote.score, subScores: vote.subScores, reasoning: vote.reasoning });
  }
  if (sample.appeal) await fileAppeal({ contributionId: id, userId: ownerId, statement: sample.appeal });
  if (sample.hold) await moderate({ actorId: ids[DEMO_ADMIN]!, contributionId: id, action: sample.hold.action, reason: sample.hold.reason });
  return true;
}

/**
 * Demo revenue so the admin console has figures: the first demo contributor on Pro (as if paid
 * through Stripe) with three monthly invoices, one of them partly refunded.
 */
async function seedDemoBilling(tx: Tx, userId: string | undefined) {
  if (!userId) return;
  const day = 86_400_000;
  const now = Date.now();
  const [sub] = await tx
    .insert(subscriptions)
    .values({
      userId,
      plan: "pro",
      status: "active",
      stripeCustomerId: "cus_demo_contributor",
      stripeSubscriptionId: "sub_demo_pro",
      currentPeriodStart: new Date(now - 10 * day),
      currentPeriodEnd: new Date(now + 20 * day),
    })
    .returning({ id: subscriptions.id });
  await tx.insert(payments).values(
    [70, 40, 10].map((ago, i) => ({
      userId,
      subscriptionId: sub!.id,
      stripePaymentId: `in_demo_${i + 1}`,
      stripeInvoiceId: `in_demo_${i + 1}`,
      amountCents: 9900,
      refundedCents: i === 1 ? 2000 : 0,
      currency: "usd",
      status: "succeeded" as const,
      description: `Pro plan, month ${i + 1}`,
      paidAt: new Date(now - ago * day),
      createdAt: new Date(now - ago * day),
    })),
  );
}
