import "server-only";

import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";

import { getDb, type Tx } from "@/db/client";
import { payments, stripeEvents, subscriptions, users, type Plan } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { BadRequestError, ServiceUnavailableError } from "@/lib/errors";

import { planForPrice } from "./stripe";

/** Lifecycle order of subscription statuses: an older event never moves a subscription back. */
const SUBSCRIPTION_RANK: Record<string, number> = { incomplete: 0, trialing: 1, active: 1, past_due: 1, unpaid: 1, paused: 1, canceled: 2, incomplete_expired: 2 };
const PAYMENT_RANK: Record<string, number> = { pending: 0, failed: 1, canceled: 1, succeeded: 2, refunded: 3 };

/** Verifies the signature on the raw body (300 s tolerance); a bad or stale signature is a 400. */
export function verifyStripeEvent(stripe: Stripe, rawBody: string, signature: string | null): Stripe.Event {
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new ServiceUnavailableError("Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET)");
  if (!signature) throw new BadRequestError("Missing Stripe-Signature header");
  try {
    return stripe.webhooks.constructEvent(rawBody, signature, secret, 300);
  } catch (error) {
    throw new BadRequestError(`Invalid Stripe signature: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Applies one event exactly once: its id goes into stripe_events in the same transaction as its
 * effect. A duplicate (even a concurrent one: it waits on the first insert, then finds it) does
 * nothing; a failure rolls both back, so Stripe's retry applies it once.
 */
export async function applyStripeEvent(event: Stripe.Event): Promise<"applied" | "duplicate" | "ignored"> {
  return getDb().transaction(async (tx) => {
    const [fresh] = await tx.insert(stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (!fresh) return "duplicate";
    const at = new Date(event.created * 1000);
    const object = event.data.object as unknown as Record<string, unknown>;
    switch (event.type) {
      case "checkout.session.completed":
        await checkoutCompleted(tx, object as unknown as Stripe.Checkout.Session, at);
        return "applied";
      case "customer.subscription.created":
      case "customer.subscription.updated":
      case "customer.subscription.deleted":
        await upsertSubscription(tx, object as unknown as Stripe.Subscription, at, event.type === "customer.subscription.deleted");
        return "applied";
      case "invoice.paid":
      case "invoice.payment_failed":
        await invoiceEvent(tx, object as unknown as Stripe.Invoice, event.type === "invoice.paid" ? "succeeded" : "failed");
        return "applied";
      case "payment_intent.succeeded":
      case "payment_intent.payment_failed":
        await paymentIntentEvent(tx, object as unknown as Stripe.PaymentIntent, event.type === "payment_intent.succeeded" ? "succeeded" : "failed");
        return "applied";
      case "charge.refunded":
        await chargeRefunded(tx, object as unknown as Stripe.Charge);
        return "applied";
      default:
        return "ignored";
    }
  });
}

const idOf = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && "id" in v ? String((v as { id: string }).id) : null);

async function userByCustomer(tx: Tx, customer: string | null, fallbackUserId?: string | null): Promise<string> {
  if (customer) {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.stripeCustomerId, customer));
    if (u) return u.id;
  }
  if (fallbackUserId) {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, fallbackUserId));
    if (u) {
      if (customer) await tx.update(users).set({ stripeCustomerId: customer }).where(and(eq(users.id, u.id), sql`${users.stripeCustomerId} IS NULL`));
      return u.id;
    }
  }
  // Not yet linked (checkout.session.completed still on its way): fail so Stripe retries later.
  throw new Error(`no user for Stripe customer ${customer ?? "?"}`);
}

async function checkoutCompleted(tx: Tx, session: Stripe.Checkout.Session, at: Date) {
  const customer = idOf(session.customer);
  const userId = await userByCustomer(tx, customer, session.client_reference_id ?? session.metadata?.userId);
  const subscriptionId = idOf(session.subscription);
  if (session.mode !== "subscription" || !subscriptionId) return;
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const plan = (["pro", "enterprise"].includes(session.metadata?.plan ?? "") ? session.metadata!.plan : "free") as Plan;
  await applySubscriptionState(tx, {
    userId,
    stripeSubscriptionId: subscriptionId,
    stripeCustomerId: customer,
    plan,
    status: paid ? "active" : "incomplete",
    at,
  });
}

interface SubscriptionState {
  userId: string;
  stripeSubscriptionId: string;
  stripeCustomerId: string | null;
  plan: Plan;
  status: string;
  at: Date;
  priceId?: string | null;
  periodStart?: Date | null;
  periodEnd?: Date | null;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: Date | null;
}

/** Writes a subscription's state unless the stored one comes from a newer event. */
async function applySubscriptionState(tx: Tx, s: SubscriptionState) {
  const current = () =>
    tx
      .select({ id: subscriptions.id, status: subscriptions.status, at: subscriptions.stripeEventAt })
      .from(subscriptions)
      .where(eq(subscriptions.stripeSubscriptionId, s.stripeSubscriptionId))
      .for("update");
  let [existing] = await current();
  const values = {
    userId: s.userId,
    stripeSubscriptionId: s.stripeSubscriptionId,
    stripeCustomerId: s.stripeCustomerId,
    plan: s.plan,
    status: s.status as (typeof subscriptions.$inferInsert)["status"],
    stripeEventAt: s.at,
    ...(s.priceId !== undefined ? { stripePriceId: s.priceId } : {}),
    ...(s.periodStart !== undefined ? { currentPeriodStart: s.periodStart } : {}),
    ...(s.periodEnd !== undefined ? { currentPeriodEnd: s.periodEnd } : {}),
    ...(s.cancelAtPeriodEnd !== undefined ? { cancelAtPeriodEnd: s.cancelAtPeriodEnd } : {}),
    ...(s.canceledAt !== undefined ? { canceledAt: s.canceledAt } : {}),
  };
  if (!existing) {
    // A concurrent event may be inserting the same subscription: wait for it, then compare.
    const inserted = await tx.insert(subscriptions).values(values).onConflictDoNothing({ target: subscriptions.stripeSubscriptionId }).returning({ id: subscriptions.id });
    if (inserted.length > 0) return;
    [existing] = await current();
    if (!existing) throw new Error(`subscription ${s.stripeSubscriptionId} vanished`);
  }
  const storedAt = existing.at?.getTime() ?? -Infinity;
  const newer = s.at.getTime() > storedAt;
  const sameTimeForward = s.at.getTime() === storedAt && (SUBSCRIPTION_RANK[s.status] ?? 0) >= (SUBSCRIPTION_RANK[existing.status] ?? 0);
  if (!newer && !sameTimeForward) return; // an older event: the stored state is already ahead
  await tx
    .update(subscriptions)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(subscriptions.id, existing.id));
}

const fromEpoch = (v: unknown) => (typeof v === "number" ? new Date(v * 1000) : null);

async function upsertSubscription(tx: Tx, sub: Stripe.Subscription, at: Date, deleted: boolean) {
  const customer = idOf(sub.customer);
  const userId = await userByCustomer(tx, customer, sub.metadata?.userId);
  const item = sub.items?.data?.[0] as (Stripe.SubscriptionItem & { current_period_start?: number; current_period_end?: number }) | undefined;
  const legacy = sub as unknown as { current_period_start?: number; current_period_end?: number };
  await applySubscriptionState(tx, {
    userId,
    stripeSubscriptionId: sub.id,
    stripeCustomerId: customer,
    plan: planForPrice(item?.price?.id),
    priceId: item?.price?.id ?? null,
    status: deleted ? "canceled" : sub.status,
    at,
    periodStart: fromEpoch(item?.current_period_start ?? legacy.current_period_start),
    periodEnd: fromEpoch(item?.current_period_end ?? legacy.current_period_end),
    cancelAtPeriodEnd: !!sub.cancel_at_period_end,
    canceledAt: fromEpoch(sub.canceled_at) ?? (deleted ? at : null),
  });
}

async function upsertPayment(
  tx: Tx,
  p: { stripePaymentId: string; userId: string; subscriptionId?: string | null; invoiceId?: string | null; amountCents: number; currency: string; status: string; description?: string; paidAt?: Date | null },
) {
  const current = () => tx.select({ id: payments.id, status: payments.status }).from(payments).where(eq(payments.stripePaymentId, p.stripePaymentId)).for("update");
  let [existing] = await current();
  const values = {
    stripePaymentId: p.stripePaymentId,
    userId: p.userId,
    subscriptionId: p.subscriptionId ?? null,
    stripeInvoiceId: p.invoiceId ?? null,
    amountCents: p.amountCents,
    currency: p.currency,
    status: p.status as (typeof payments.$inferInsert)["status"],
    description: p.description ?? "",
    paidAt: p.paidAt ?? null,
  };
  if (!existing) {
    const inserted = await tx.insert(payments).values(values).onConflictDoNothing({ target: payments.stripePaymentId }).returning({ id: payments.id });
    if (inserted.length > 0) return;
    [existing] = await current();
    if (!existing) throw new Error(`payment ${p.stripePaymentId} vanished`);
  }
  if ((PAYMENT_RANK[p.status] ?? 0) < (PAYMENT_RANK[existing.status] ?? 0)) return; // never move a payment backwards
  await tx.update(payments).set({ ...values, updatedAt: sql`now()` }).where(eq(payments.id, existing.id));
}

async function ourSubscriptionId(tx: Tx, stripeSubscriptionId: string | null): Promise<string | null> {
  if (!stripeSubscriptionId) return null;
  const [s] = await tx.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId));
  return s?.id ?? null;
}

async function invoiceEvent(tx: Tx, invoice: Stripe.Invoice, status: "succeeded" | "failed") {
  const customer = idOf(invoice.customer);
  const userId = await userByCustomer(tx, customer, invoice.metadata?.userId);
  const parent = (invoice as unknown as { parent?: { subscription_details?: { subscription?: unknown } } }).parent;
  const stripeSub = idOf(parent?.subscription_details?.subscription) ?? idOf((invoice as unknown as { subscription?: unknown }).subscription);
  await upsertPayment(tx, {
    stripePaymentId: invoice.id!,
    invoiceId: invoice.id!,
    userId,
    subscriptionId: await ourSubscriptionId(tx, stripeSub),
    amountCents: status === "succeeded" ? invoice.amount_paid : invoice.amount_due,
    currency: invoice.currency,
    status,
    description: invoice.description ?? `Invoice ${invoice.number ?? invoice.id}`,
    paidAt: status === "succeeded" ? (fromEpoch(invoice.status_transitions?.paid_at) ?? new Date()) : null,
  });
}

async function paymentIntentEvent(tx: Tx, pi: Stripe.PaymentIntent, status: "succeeded" | "failed") {
  const userId = await userByCustomer(tx, idOf(pi.customer), pi.metadata?.userId);
  await upsertPayment(tx, {
    stripePaymentId: pi.id,
    userId,
    amountCents: pi.amount_received || pi.amount,
    currency: pi.currency,
    status,
    description: pi.description ?? "One-time payment",
    paidAt: status === "succeeded" ? fromEpoch(pi.created) : null,
  });
}

async function chargeRefunded(tx: Tx, charge: Stripe.Charge) {
  const key = idOf(charge.payment_intent) ?? idOf((charge as unknown as { invoice?: unknown }).invoice);
  if (!key) return;
  const [payment] = await tx.select({ id: payments.id, status: payments.status }).from(payments).where(eq(payments.stripePaymentId, key)).for("update");
  if (!payment) throw new Error(`no payment for refunded charge ${charge.id}`); // its payment event is still on its way
  await tx
    .update(payments)
    .set({ refundedCents: sql`greatest(${payments.refundedCents}, ${charge.amount_refunded})`, ...(charge.refunded ? { status: "refunded" as const } : {}), updatedAt: sql`now()` })
    .where(eq(payments.id, payment.id));
}
