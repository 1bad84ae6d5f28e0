/**
 * The demo data `npm start` seeds into an empty database in demo mode (and `npm run db:seed` adds).
 * It lives in lib/, not db/, so that demo data may use domain code (files pinned to IPFS, real
 * contributions) — db/ never imports lib/.
 */
import "server-only";

import { count, sql } from "drizzle-orm";

import type { Db } from "@/db/client";
import { DEMO_ACCOUNTS } from "@/db/demo-accounts";
import { payments, subscriptions, users } from "@/db/schema";

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** Demo users for every role, each with a free plan. Idempotent: re-running adds nothing twice. */
export async function seedDemo(db: Db): Promise<{ users: number }> {
  return db.transaction(async (tx) => {
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
    await tx.execute(sql`ANALYZE`);
    return { users: inserted.length };
  });
}

/**
 * Demo revenue so the admin console has figures: the first demo contributor on Pro (as if paid
 * through Stripe) with three monthly invoices, one of them partly refunded.
 */
async function seedDemoBilling(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], userId: string | undefined) {
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
