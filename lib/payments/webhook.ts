import "server-only";

import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { z } from "zod";

import { getDb, type Tx } from "@/db/client";
import { payments, stripeEvents, subscriptions, users, type Plan } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { BadRequestError, ServiceUnavailableError } from "@/lib/errors";
import { recordEvent } from "@/lib/outbox/record";

import { planForPrice } from "./stripe";
import * as objects from "./stripe-objects";

/** Lifecycle order of subscription statuses: an older event never moves a subscription back. */
const SUBSCRIPTION_RANK: Record<string, number> = { incomplete: 0, trialing: 1, active: 1, past_due: 1, unpaid: 1, paused: 1, canceled: 2, incomplete_expired: 2 };
const PAYMENT_RANK: Record<string, number> = { pending: 0, failed: 1, canceled: 1, succeeded: 2, refunded: 3 };

/** How far a signature's timestamp may be from our clock, either way. */
const TOLERANCE_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies the signature on the raw body; a bad signature, or a timestamp more than the tolerance
 * in the past or in the future, is a 400. Returns the parsed body, not yet trusted to be well formed.
 */
export function verifyStripeEvent(stripe: Stripe, rawBody: string, signature: string | null): unknown {
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new ServiceUnavailableError("Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET)");
  if (!signature) throw new BadRequestError("Missing Stripe-Signature header");
  let event: unknown;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret, TOLERANCE_SECONDS);
  } catch (error) {
    throw new BadRequestError(`Invalid Stripe signature: ${(error as Error).message.split("\n")[0]}`);
  }
  // The SDK bounds only the age: a signature dated ahead of our clock would stay replayable for
  // longer than the tolerance, so it is refused too.
  const ahead = signedAt(signature) - Math.floor(Date.now() / 1000);
  if (!(ahead <= TOLERANCE_SECONDS)) throw new BadRequestError("Invalid Stripe signature: Timestamp outside the tolerance zone (in the future)");
  return event;
}

/** The header's `t=`, read as the SDK reads it (the last one counts). */
function signedAt(header: string): number {
  let t = Number.NaN;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") t = Number.parseInt(value ?? "", 10);
  }
  return t;
}

export interface WebhookResult {
  result: "applied" | "duplicate" | "unmatched" | "ignored";
  reason?: string;
}

/** What a handler made of an event: applied, or nothing to apply it to (not one of our users). */
type Outcome = "processed" | "unmatched";
type Prepared = { ok: true; apply: (tx: Tx) => Promise<Outcome> } | { ok: false; reason: string };
type Handler = (object: unknown, event: { at: Date }) => Prepared;

function handler<S extends z.ZodType>(schema: S, apply: (tx: Tx, object: z.output<S>, event: { at: Date }) => Promise<Outcome>): Handler {
  return (object, event) => {
    const parsed = schema.safeParse(object);
    return parsed.success ? { ok: true, apply: (tx) => apply(tx, parsed.data, event) } : { ok: false, reason: objects.describeIssues(parsed.error.issues, ["data", "object"]) };
  };
}

// A Map, so that an event type such as "constructor" finds nothing.
const HANDLERS = new Map<string, Handler>([
  ["checkout.session.completed", handler(objects.checkoutSession, checkoutCompleted)],
  ["customer.subscription.created", handler(objects.subscription, (tx, s, e) => upsertSubscription(tx, s, e.at, false))],
  ["customer.subscription.updated", handler(objects.subscription, (tx, s, e) => upsertSubscription(tx, s, e.at, false))],
  ["customer.subscription.deleted", handler(objects.subscription, (tx, s, e) => upsertSubscription(tx, s, e.at, true))],
  ["invoice.paid", handler(objects.invoice, (tx, i) => invoiceEvent(tx, i, "succeeded"))],
  ["invoice.payment_failed", handler(objects.invoice, (tx, i) => invoiceEvent(tx, i, "failed"))],
  ["payment_intent.succeeded", handler(objects.paymentIntent, (tx, p) => paymentIntentEvent(tx, p, "succeeded"))],
  ["payment_intent.payment_failed", handler(objects.paymentIntent, (tx, p) => paymentIntentEvent(tx, p, "failed"))],
  ["charge.refunded", handler(objects.charge, chargeRefunded)],
]);

function prepare(payload: unknown, type: string): Prepared {
  const body = objects.eventBody.safeParse(payload);
  if (!body.success) return { ok: false, reason: objects.describeIssues(body.error.issues) };
  const handle = HANDLERS.get(type);
  if (!handle) return { ok: false, reason: `event type ${type} is not handled here` };
  return handle(body.data.data.object, { at: new Date(body.data.created * 1000) });
}

/**
 * Applies one event exactly once: its id goes into stripe_events in the same transaction as its
 * effect. A duplicate (even a concurrent one: it waits on the first insert, then finds it) does
 * nothing. Every well-signed event is acknowledged: one for a customer or payment that is not ours
 * is recorded `unmatched`, a malformed one `ignored` with the reason, and neither changes anything.
 * Only a fault on our side (the database) throws, rolling everything back, so Stripe's retry
 * applies it once.
 */
export async function applyStripeEvent(payload: unknown): Promise<WebhookResult> {
  const head = objects.eventHead.safeParse(payload);
  if (!head.success) throw new BadRequestError("The signed body is not a Stripe event (it has no id or type)");
  const { id, type } = head.data;
  const prepared = prepare(payload, type);
  const row = { id, type, ...objects.refsOf(payload), ...(prepared.ok ? {} : { status: "ignored" as const, reason: prepared.reason }) };
  return getDb().transaction(async (tx): Promise<WebhookResult> => {
    const [fresh] = await tx.insert(stripeEvents).values(row).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (!fresh) return { result: "duplicate" };
    if (!prepared.ok) return { result: "ignored", reason: prepared.reason };
    if ((await prepared.apply(tx)) === "processed") return { result: "applied" };
    await tx.update(stripeEvents).set({ status: "unmatched" }).where(eq(stripeEvents.id, id));
    return { result: "unmatched" };
  });
}

/** Our user for a Stripe customer, else for the user id we put in the object; null if neither is ours. */
async function userByCustomer(tx: Tx, customer: string | null | undefined, fallbackUserId?: string | null): Promise<string | null> {
  if (customer) {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.stripeCustomerId, customer));
    if (u) return u.id;
  }
  if (fallbackUserId && UUID.test(fallbackUserId)) {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, fallbackUserId));
    if (u) {
      if (customer) await tx.update(users).set({ stripeCustomerId: customer }).where(and(eq(users.id, u.id), sql`${users.stripeCustomerId} IS NULL`));
      return u.id;
    }
  }
  return null;
}

async function checkoutCompleted(tx: Tx, session: objects.CheckoutSession, event: { at: Date }): Promise<Outcome> {
  const customer = session.customer ?? null;
  const userId = await userByCustomer(tx, customer, session.client_reference_id ?? session.metadata.userId);
  if (!userId) return "unmatched";
  if (session.mode !== "subscription" || !session.subscription) return "processed";
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  const requested = session.metadata.plan;
  await applySubscriptionState(tx, {
    userId,
    stripeSubscriptionId: session.subscription,
    stripeCustomerId: customer,
    plan: requested === "pro" || requested === "enterprise" ? requested : "free",
    status: paid ? "active" : "incomplete",
    at: event.at,
  });
  return "processed";
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
    const inserted = await tx.insert(subscriptions).values(values).onConflictDoNothing({ target: subscriptions.stripeSubscriptionId }).returning(subscriptionEventColumns);
    if (inserted.length > 0) return recordSubscriptionEvent(tx, inserted[0]!);
    [existing] = await current();
    if (!existing) throw new Error(`subscription ${s.stripeSubscriptionId} vanished`);
  }
  const storedAt = existing.at?.getTime() ?? -Infinity;
  const newer = s.at.getTime() > storedAt;
  const sameTimeForward = s.at.getTime() === storedAt && (SUBSCRIPTION_RANK[s.status] ?? 0) >= (SUBSCRIPTION_RANK[existing.status] ?? 0);
  if (!newer && !sameTimeForward) return; // an older event: the stored state is already ahead
  const [updated] = await tx
    .update(subscriptions)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(subscriptions.id, existing.id))
    .returning(subscriptionEventColumns);
  await recordSubscriptionEvent(tx, updated!);
}

const subscriptionEventColumns = {
  id: subscriptions.id,
  userId: subscriptions.userId,
  plan: subscriptions.plan,
  status: subscriptions.status,
  cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
  currentPeriodEnd: subscriptions.currentPeriodEnd,
  updatedAt: subscriptions.updatedAt,
};

function recordSubscriptionEvent(tx: Tx, s: { id: string; userId: string; plan: string; status: string; cancelAtPeriodEnd: boolean; currentPeriodEnd: Date | null; updatedAt: Date }) {
  return recordEvent(tx, {
    type: "subscription.updated",
    audience: [s.userId],
    data: {
      subscription_id: s.id,
      plan: s.plan,
      status: s.status,
      cancel_at_period_end: s.cancelAtPeriodEnd,
      current_period_end: s.currentPeriodEnd?.toISOString() ?? null,
      updated_at: s.updatedAt.toISOString(),
    },
  }).then(() => undefined);
}

const fromEpoch = (v: number | null | undefined) => (typeof v === "number" ? new Date(v * 1000) : null);

async function upsertSubscription(tx: Tx, sub: objects.Subscription, at: Date, deleted: boolean): Promise<Outcome> {
  const userId = await userByCustomer(tx, sub.customer, sub.metadata.userId);
  if (!userId) return "unmatched";
  // A paid plan's subscription also holds its metered overage price: the plan is the item whose price is a plan's.
  const items = sub.items?.data ?? [];
  const item = items.find((i) => planForPrice(i.price?.id) !== "free") ?? items[0];
  const priceId = item?.price?.id ?? null;
  await applySubscriptionState(tx, {
    userId,
    stripeSubscriptionId: sub.id,
    stripeCustomerId: sub.customer,
    plan: planForPrice(priceId),
    priceId,
    status: deleted ? "canceled" : sub.status,
    at,
    periodStart: fromEpoch(item?.current_period_start ?? sub.current_period_start),
    periodEnd: fromEpoch(item?.current_period_end ?? sub.current_period_end),
    cancelAtPeriodEnd: !!sub.cancel_at_period_end,
    canceledAt: fromEpoch(sub.canceled_at) ?? (deleted ? at : null),
  });
  return "processed";
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

async function invoiceEvent(tx: Tx, invoice: objects.Invoice, status: "succeeded" | "failed"): Promise<Outcome> {
  const userId = await userByCustomer(tx, invoice.customer, invoice.metadata.userId);
  if (!userId) return "unmatched";
  const stripeSub = invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null;
  await upsertPayment(tx, {
    stripePaymentId: invoice.id,
    invoiceId: invoice.id,
    userId,
    subscriptionId: await ourSubscriptionId(tx, stripeSub),
    amountCents: status === "succeeded" ? invoice.amount_paid : invoice.amount_due,
    currency: invoice.currency,
    status,
    description: invoice.description ?? `Invoice ${invoice.number ?? invoice.id}`,
    paidAt: status === "succeeded" ? (fromEpoch(invoice.status_transitions?.paid_at) ?? new Date()) : null,
  });
  return "processed";
}

async function paymentIntentEvent(tx: Tx, pi: objects.PaymentIntent, status: "succeeded" | "failed"): Promise<Outcome> {
  const userId = await userByCustomer(tx, pi.customer, pi.metadata.userId);
  if (!userId) return "unmatched";
  await upsertPayment(tx, {
    stripePaymentId: pi.id,
    userId,
    amountCents: pi.amount_received || pi.amount,
    currency: pi.currency,
    status,
    description: pi.description ?? "One-time payment",
    paidAt: status === "succeeded" ? fromEpoch(pi.created) : null,
  });
  return "processed";
}

/** A refund of a payment we never recorded (or of none) is unmatched: there is nothing to refund. */
async function chargeRefunded(tx: Tx, charge: objects.Charge): Promise<Outcome> {
  const key = charge.payment_intent ?? charge.invoice;
  if (!key) return "unmatched";
  const [payment] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.stripePaymentId, key)).for("update");
  if (!payment) return "unmatched";
  await tx
    .update(payments)
    .set({ refundedCents: sql`greatest(${payments.refundedCents}, ${charge.amount_refunded})`, ...(charge.refunded ? { status: "refunded" as const } : {}), updatedAt: sql`now()` })
    .where(eq(payments.id, payment.id));
  return "processed";
}
