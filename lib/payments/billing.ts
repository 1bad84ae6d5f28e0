import "server-only";

import { randomUUID } from "node:crypto";

import { and, eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { payments, subscriptions, users, type Plan } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";

import { LIVE_SUBSCRIPTION_STATUSES_SQL, currentPlan, planRank } from "./current-plan";
import type { PaidPlan } from "./plans";
import { getStripe, overagePriceFor, priceFor } from "./stripe";

/** The user's Stripe customer, created once (the idempotency key is derived from the user id). */
export async function ensureCustomer(user: { userId: string; address: string }): Promise<string> {
  const db = getDb();
  const [row] = await db.select({ customer: users.stripeCustomerId }).from(users).where(eq(users.id, user.userId));
  if (row?.customer) return row.customer;
  const customer = await getStripe().customers.create(
    { description: `NWU ${user.address}`, metadata: { userId: user.userId, address: user.address } },
    { idempotencyKey: `customer:${user.userId}` },
  );
  // Another request may have linked one meanwhile; keep the first.
  await db.update(users).set({ stripeCustomerId: customer.id }).where(and(eq(users.id, user.userId), sql`${users.stripeCustomerId} IS NULL`));
  const [linked] = await db.select({ customer: users.stripeCustomerId }).from(users).where(eq(users.id, user.userId));
  return linked!.customer!;
}

export async function startCheckout(user: { userId: string; address: string }, plan: PaidPlan, origin: string): Promise<string> {
  const current = await currentPlan(getDb(), user.userId);
  if (current === plan) throw new ConflictError(`You are already on the ${plan} plan`);
  const customer = await ensureCustomer(user);
  const overage = overagePriceFor(plan);
  const session = await getStripe().checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      client_reference_id: user.userId,
      // A metered price takes no quantity: Stripe bills what the meter summed over the period.
      line_items: [{ price: priceFor(plan), quantity: 1 }, ...(overage ? [{ price: overage }] : [])],
      metadata: { userId: user.userId, plan },
      subscription_data: { metadata: { userId: user.userId, plan } },
      success_url: `${origin}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${origin}/pricing?checkout=cancelled`,
    },
    // One attempt = one key: the SDK's own retries of this call reuse it.
    { idempotencyKey: `checkout:${user.userId}:${plan}:${randomUUID()}` },
  );
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return session.url;
}

export async function openPortal(user: { userId: string; address: string }, origin: string): Promise<string> {
  const customer = await ensureCustomer(user);
  const portal = await getStripe().billingPortal.sessions.create({ customer, return_url: `${origin}/billing` });
  return portal.url;
}

/** Owner only: cancel at the end of the paid period. */
export async function cancelAtPeriodEnd(input: { userId: string; subscriptionId: string }): Promise<void> {
  const db = getDb();
  const [sub] = await db
    .select({ id: subscriptions.id, stripeId: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(and(eq(subscriptions.id, input.subscriptionId), eq(subscriptions.userId, input.userId)));
  if (!sub?.stripeId) throw new NotFoundError("No such paid subscription");
  await getStripe().subscriptions.update(sub.stripeId, { cancel_at_period_end: true }, { idempotencyKey: `cancel:${sub.id}` });
  await db.update(subscriptions).set({ cancelAtPeriodEnd: true, updatedAt: sql`now()` }).where(eq(subscriptions.id, sub.id));
}

/** A one-time payment: the PaymentIntent is created server-side; its row waits for the webhook. */
export async function createOneTimePayment(user: { userId: string; address: string }, amountCents: number, description: string) {
  const customer = await ensureCustomer(user);
  const attempt = randomUUID();
  const intent = await getStripe().paymentIntents.create(
    { amount: amountCents, currency: "usd", customer, description, metadata: { userId: user.userId }, automatic_payment_methods: { enabled: true } },
    { idempotencyKey: `payment:${user.userId}:${attempt}` },
  );
  await getDb()
    .insert(payments)
    .values({ userId: user.userId, stripePaymentId: intent.id, amountCents, currency: "usd", status: "pending", description })
    .onConflictDoNothing({ target: payments.stripePaymentId });
  return { paymentIntentId: intent.id, clientSecret: intent.client_secret };
}

export interface BillingOverview {
  plan: Plan;
  subscription: { id: string; plan: Plan; status: string; currentPeriodEnd: Date | null; cancelAtPeriodEnd: boolean; paid: boolean } | null;
}

/** The live subscription (paid first, then free) in one statement. */
export async function billingOverview(userId: string): Promise<BillingOverview> {
  const [sub] = await getDb()
    .select({
      id: subscriptions.id,
      plan: subscriptions.plan,
      status: subscriptions.status,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      stripeId: subscriptions.stripeSubscriptionId,
    })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), sql`${subscriptions.status} IN (${LIVE_SUBSCRIPTION_STATUSES_SQL})`))
    .orderBy(sql`${planRank(subscriptions.plan)} DESC`)
    .limit(1);
  return {
    plan: sub?.plan ?? "free",
    subscription: sub ? { id: sub.id, plan: sub.plan, status: sub.status, currentPeriodEnd: sub.currentPeriodEnd, cancelAtPeriodEnd: sub.cancelAtPeriodEnd, paid: !!sub.stripeId } : null,
  };
}

export interface PaymentRow {
  id: string;
  amountCents: number;
  refundedCents: number;
  currency: string;
  status: string;
  description: string;
  createdAt: Date;
}

export async function paymentHistory(input: { userId: string; cursor?: Cursor; limit: number }): Promise<Page<PaymentRow>> {
  const order = keyset(payments.createdAt, payments.id, input.cursor);
  const rows = await getDb()
    .select({
      id: payments.id,
      amountCents: payments.amountCents,
      refundedCents: payments.refundedCents,
      currency: payments.currency,
      status: payments.status,
      description: payments.description,
      createdAt: payments.createdAt,
      cursorAt: cursorText(payments.createdAt),
    })
    .from(payments)
    .where(and(eq(payments.userId, input.userId), order.where))
    .orderBy(order.orderBy)
    .limit(input.limit + 1);
  return toPage(rows, input.limit, ({ cursorAt: _, ...p }) => p, input.cursor);
}
