/**
 * Stripe's retry contract, tested with Stripe's own example objects (test/fixtures/stripe): every
 * event type the webhook applies, and some it does not, built from `resources.<name>`, signed by
 * the real SDK and posted to the real route. Stripe retries any non-2xx for three days, so nothing
 * a well-signed event carries may answer 5xx: events we cannot attribute are recorded `unmatched`,
 * malformed ones `ignored` with the reason, and neither changes any state.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { payments, stripeEvents, subscriptions, users } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { deliverWebhook, stripeFixture, withStripeTestEnv } from "@/test/stripe-webhook";

const testDb = setupTestDatabase();

withStripeTestEnv();

/** Our customer (linked to `owner`), and the one in Stripe's fixtures, which this app never created. */
const OURS = "cus_nwu_ours";
const STRANGER = "cus_QXg1o8vcGmoR32";
const now = () => Math.floor(Date.now() / 1000);

type Recorded = "processed" | "unmatched" | "ignored";
interface Case {
  name: string;
  type: string;
  /** data.object; `data` replaces the whole data member instead. */
  object?: Record<string, unknown>;
  data?: unknown;
  recorded: Recorded;
  /** Recorded object id and customer id (defaults: the object's id, none). */
  objectId?: string | null;
  customer?: string | null;
  /** Names the field the reason must mention, for `ignored`. */
  reasonMentions?: string;
}

let owner: { id: string };
let newcomer: { id: string }; // signed up, no Stripe customer yet

const fx = stripeFixture;
const event = (c: Case, i: number) => ({
  ...fx("event"),
  id: `evt_matrix_${String(i).padStart(2, "0")}`,
  created: now() - 1000 + i,
  type: c.type,
  data: c.data ?? { object: c.object },
});

function cases(): Case[] {
  const session = (o: Record<string, unknown>) => fx("checkout.session", o);
  const sub = (o: Record<string, unknown>) => fx("subscription", o);
  const withPrice = (price: string) => ({ data: [{ ...(fx("subscription").items as { data: Record<string, unknown>[] }).data[0], price: fx("price", { id: price }) }] });
  const invoice = (o: Record<string, unknown>) => fx("invoice", o);
  const pi = (o: Record<string, unknown>) => fx("payment_intent", o);
  const charge = (o: Record<string, unknown>) => fx("charge", o);
  return [
    // checkout.session.completed
    { name: "checkout, payment mode, customer null (fixture as is)", type: "checkout.session.completed", object: session({}), recorded: "unmatched" },
    { name: "checkout, payment mode, customer null, our user by client_reference_id", type: "checkout.session.completed", object: session({ id: "cs_pay_ours", client_reference_id: owner.id }), recorded: "processed" },
    { name: "checkout, subscription mode, our customer, paid", type: "checkout.session.completed", object: session({ id: "cs_sub_ours", mode: "subscription", customer: OURS, subscription: "sub_from_checkout", payment_status: "paid", metadata: { plan: "pro" } }), recorded: "processed", customer: OURS },
    { name: "checkout, subscription mode, links a new customer to our user", type: "checkout.session.completed", object: session({ id: "cs_sub_link", mode: "subscription", customer: "cus_nwu_new", subscription: "sub_linked", payment_status: "paid", client_reference_id: newcomer.id, metadata: { plan: "enterprise" } }), recorded: "processed", customer: "cus_nwu_new" },
    { name: "checkout, subscription mode, unknown customer", type: "checkout.session.completed", object: session({ id: "cs_sub_stranger", mode: "subscription", customer: STRANGER, subscription: "sub_stranger_checkout", payment_status: "paid" }), recorded: "unmatched", customer: STRANGER },
    { name: "checkout, client_reference_id that is not a user id", type: "checkout.session.completed", object: session({ id: "cs_foreign_ref", client_reference_id: "order-42" }), recorded: "unmatched" },
    { name: "checkout, data: {}", type: "checkout.session.completed", data: {}, recorded: "ignored", objectId: null, reasonMentions: "object" },
    { name: "checkout, mode: 42", type: "checkout.session.completed", object: session({ id: "cs_bad_mode", mode: 42 }), recorded: "ignored", reasonMentions: "mode" },
    // customer.subscription.*
    { name: "subscription.created, unknown customer (fixture as is)", type: "customer.subscription.created", object: sub({}), recorded: "unmatched", customer: STRANGER },
    { name: "subscription.updated, unknown customer (fixture as is)", type: "customer.subscription.updated", object: sub({}), recorded: "unmatched", customer: STRANGER },
    { name: "subscription.deleted, unknown customer (fixture as is)", type: "customer.subscription.deleted", object: sub({}), recorded: "unmatched", customer: STRANGER },
    { name: "subscription.created, our customer, pro price", type: "customer.subscription.created", object: sub({ id: "sub_ours_a", customer: OURS, items: withPrice("price_pro") }), recorded: "processed", customer: OURS },
    { name: "subscription.updated, our customer, past_due", type: "customer.subscription.updated", object: sub({ id: "sub_ours_b", customer: OURS, status: "past_due" }), recorded: "processed", customer: OURS },
    { name: "subscription.deleted, our customer", type: "customer.subscription.deleted", object: sub({ id: "sub_ours_c", customer: OURS }), recorded: "processed", customer: OURS },
    { name: "subscription.updated, our customer expanded", type: "customer.subscription.updated", object: sub({ id: "sub_ours_d", customer: fx("customer", { id: OURS }) }), recorded: "processed", customer: OURS },
    { name: "subscription.updated, unknown customer expanded", type: "customer.subscription.updated", object: sub({ id: "sub_stranger_x", customer: fx("customer") }), recorded: "unmatched", customer: STRANGER },
    { name: "subscription.updated, status not one Stripe has", type: "customer.subscription.updated", object: sub({ id: "sub_bad_status", customer: OURS, status: "on_holiday" }), recorded: "ignored", customer: OURS, reasonMentions: "status" },
    { name: "subscription.created, data: {}", type: "customer.subscription.created", data: {}, recorded: "ignored", objectId: null, reasonMentions: "object" },
    { name: "subscription.deleted, customer null", type: "customer.subscription.deleted", object: sub({ id: "sub_no_customer", customer: null }), recorded: "ignored", reasonMentions: "customer" },
    // invoice.*
    { name: "invoice.paid, unknown customer (fixture as is)", type: "invoice.paid", object: invoice({}), recorded: "unmatched", customer: STRANGER },
    { name: "invoice.payment_failed, unknown customer (fixture as is)", type: "invoice.payment_failed", object: invoice({}), recorded: "unmatched", customer: STRANGER },
    { name: "invoice.paid, our customer, for our subscription", type: "invoice.paid", object: invoice({ id: "in_ours_paid", customer: OURS, amount_paid: 1000, parent: { type: "subscription_details", subscription_details: { metadata: null, subscription: "sub_ours_a" } } }), recorded: "processed", customer: OURS },
    { name: "invoice.payment_failed, our customer", type: "invoice.payment_failed", object: invoice({ id: "in_ours_failed", customer: OURS }), recorded: "processed", customer: OURS },
    { name: "invoice.paid, amount_paid: null", type: "invoice.paid", object: invoice({ id: "in_null_amount", customer: OURS, amount_paid: null }), recorded: "ignored", customer: OURS, reasonMentions: "amount_paid" },
    { name: "invoice.paid, data: {}", type: "invoice.paid", data: {}, recorded: "ignored", objectId: null, reasonMentions: "object" },
    { name: "invoice.paid, data.object: {}", type: "invoice.paid", object: {}, recorded: "ignored", objectId: null, reasonMentions: "id" },
    { name: "invoice.paid, customer null", type: "invoice.paid", object: invoice({ id: "in_no_customer", customer: null }), recorded: "unmatched" },
    { name: "invoice.paid, currency null", type: "invoice.paid", object: invoice({ id: "in_no_currency", customer: OURS, currency: null }), recorded: "ignored", customer: OURS, reasonMentions: "currency" },
    { name: "invoice.paid, unknown customer expanded", type: "invoice.paid", object: invoice({ id: "in_stranger_x", customer: fx("customer") }), recorded: "unmatched", customer: STRANGER },
    // payment_intent.*
    { name: "payment_intent.succeeded, no customer (fixture as is)", type: "payment_intent.succeeded", object: pi({}), recorded: "unmatched" },
    { name: "payment_intent.payment_failed, no customer (fixture as is)", type: "payment_intent.payment_failed", object: pi({}), recorded: "unmatched" },
    { name: "payment_intent.succeeded, our customer", type: "payment_intent.succeeded", object: pi({ id: "pi_ours", customer: OURS, amount_received: 1099 }), recorded: "processed", customer: OURS },
    { name: "payment_intent.payment_failed, our customer", type: "payment_intent.payment_failed", object: pi({ id: "pi_ours_failed", customer: OURS }), recorded: "processed", customer: OURS },
    { name: "payment_intent.succeeded, no customer, our user in metadata", type: "payment_intent.succeeded", object: pi({ id: "pi_by_metadata", metadata: { userId: owner.id } }), recorded: "processed" },
    { name: "payment_intent.succeeded, unknown customer", type: "payment_intent.succeeded", object: pi({ id: "pi_stranger", customer: STRANGER }), recorded: "unmatched", customer: STRANGER },
    { name: "payment_intent.succeeded, metadata.userId not a user id", type: "payment_intent.succeeded", object: pi({ id: "pi_foreign_ref", metadata: { userId: "order-42" } }), recorded: "unmatched" },
    { name: "payment_intent.succeeded, amount as a string", type: "payment_intent.succeeded", object: pi({ id: "pi_string_amount", customer: OURS, amount: "1099" }), recorded: "ignored", customer: OURS, reasonMentions: "amount" },
    { name: "payment_intent.payment_failed, data: {}", type: "payment_intent.payment_failed", data: {}, recorded: "ignored", objectId: null, reasonMentions: "object" },
    // charge.refunded
    { name: "charge.refunded, no payment intent (fixture as is)", type: "charge.refunded", object: charge({}), recorded: "unmatched" },
    { name: "charge.refunded, of our payment", type: "charge.refunded", object: charge({ id: "ch_ours", payment_intent: "pi_ours", amount_refunded: 1099, refunded: true, customer: OURS }), recorded: "processed", customer: OURS },
    { name: "charge.refunded, of a payment we never had", type: "charge.refunded", object: charge({ id: "ch_stranger", payment_intent: "pi_never_seen", amount_refunded: 100, refunded: true }), recorded: "unmatched" },
    { name: "charge.refunded, data: {}", type: "charge.refunded", data: {}, recorded: "ignored", objectId: null, reasonMentions: "object" },
    { name: "charge.refunded, amount_refunded: null", type: "charge.refunded", object: charge({ id: "ch_null_amount", payment_intent: "pi_ours", amount_refunded: null }), recorded: "ignored", reasonMentions: "amount_refunded" },
    // Types the webhook does not act on: acknowledged, recorded, no effect.
    ...(
      [
        ["customer.created", "customer"],
        ["customer.updated", "customer"],
        ["customer.deleted", "deleted_customer"],
        ["product.created", "product"],
        ["price.created", "price"],
        ["invoice.created", "invoice"],
        ["invoice.finalized", "invoice"],
        ["invoice.voided", "invoice"],
        ["invoice_payment.paid", "invoice_payment"],
        ["charge.succeeded", "charge"],
        ["charge.dispute.created", "dispute"],
        ["refund.created", "refund"],
        ["payment_method.attached", "payment_method"],
        ["setup_intent.succeeded", "setup_intent"],
        ["checkout.session.expired", "checkout.session"],
        ["payment_intent.created", "payment_intent"],
        ["customer.subscription.trial_will_end", "subscription"],
      ] as const
    ).map(([type, resource]): Case => {
      const object = fx(resource);
      return { name: `${type} (unhandled)`, type, object, recorded: "ignored", customer: typeof object.customer === "string" ? object.customer : null, reasonMentions: "not handled" };
    }),
  ].map((c) => ({ ...c, recorded: c.recorded as Recorded, objectId: c.objectId === undefined ? ((c.object?.id as string | undefined) ?? null) : c.objectId }));
}

describe("Stripe webhook with Stripe's own example objects", () => {
  it("answers 2xx to every well-signed event, records what it did with each, and changes state only for our customers", async () => {
    const { db } = testDb.handle;
    owner = await insertUser(db);
    newcomer = await insertUser(db);
    await db.update(users).set({ stripeCustomerId: OURS }).where(eq(users.id, owner.id));

    const matrix = cases();
    expect(matrix.length).toBeGreaterThanOrEqual(59);
    const answers = [];
    for (const [i, c] of matrix.entries()) {
      const res = await deliverWebhook(event(c, i));
      const body = (await res.json()) as { result?: string };
      answers.push({ name: c.name, status: res.status, result: body.result });
    }
    const expectedResult = { processed: "applied", unmatched: "unmatched", ignored: "ignored" } as const;
    expect(answers).toEqual(matrix.map((c) => ({ name: c.name, status: 200, result: expectedResult[c.recorded] })));

    const recorded = await db.select().from(stripeEvents);
    const byId = new Map(recorded.map((r) => [r.id, r]));
    for (const [i, c] of matrix.entries()) {
      const row = byId.get(event(c, i).id);
      expect({ name: c.name, type: row?.type, status: row?.status, objectId: row?.objectId, customerId: row?.customerId }).toEqual({ name: c.name, type: c.type, status: c.recorded, objectId: c.objectId, customerId: c.customer ?? null });
      if (c.recorded === "ignored") expect(row?.reason, c.name).toContain(c.reasonMentions);
      else expect(row?.reason, c.name).toBeNull();
    }

    // The only state: what the `processed` events for our users say.
    const subs = await db.select({ id: subscriptions.stripeSubscriptionId, userId: subscriptions.userId, status: subscriptions.status, plan: subscriptions.plan }).from(subscriptions).orderBy(subscriptions.stripeSubscriptionId);
    expect(subs).toEqual([
      { id: "sub_from_checkout", userId: owner.id, status: "active", plan: "pro" },
      { id: "sub_linked", userId: newcomer.id, status: "active", plan: "enterprise" },
      { id: "sub_ours_a", userId: owner.id, status: "active", plan: "pro" },
      { id: "sub_ours_b", userId: owner.id, status: "past_due", plan: "free" },
      { id: "sub_ours_c", userId: owner.id, status: "canceled", plan: "free" },
      { id: "sub_ours_d", userId: owner.id, status: "active", plan: "free" },
    ]);
    const [subA] = await db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, "sub_ours_a"));
    const pays = await db
      .select({ id: payments.stripePaymentId, userId: payments.userId, status: payments.status, amount: payments.amountCents, refunded: payments.refundedCents, subscriptionId: payments.subscriptionId })
      .from(payments)
      .orderBy(payments.stripePaymentId);
    expect(pays).toEqual([
      { id: "in_ours_failed", userId: owner.id, status: "failed", amount: 1000, refunded: 0, subscriptionId: null },
      { id: "in_ours_paid", userId: owner.id, status: "succeeded", amount: 1000, refunded: 0, subscriptionId: subA!.id },
      { id: "pi_by_metadata", userId: owner.id, status: "succeeded", amount: 1099, refunded: 0, subscriptionId: null },
      { id: "pi_ours", userId: owner.id, status: "refunded", amount: 1099, refunded: 1099, subscriptionId: null },
      { id: "pi_ours_failed", userId: owner.id, status: "failed", amount: 1099, refunded: 0, subscriptionId: null },
    ]);
    const customers = await db.select({ id: users.id, customer: users.stripeCustomerId }).from(users);
    expect(new Map(customers.map((u) => [u.id, u.customer]))).toEqual(new Map([[owner.id, OURS], [newcomer.id, "cus_nwu_new"]]));

    // A redelivery of any of them is a duplicate, with no further effect.
    const again = await deliverWebhook(event(matrix[0]!, 0));
    expect([again.status, ((await again.json()) as { result: string }).result]).toEqual([200, "duplicate"]);
  });

  it("Stripe's example event envelope itself (plan.created) is acknowledged", async () => {
    const res = await deliverWebhook(stripeFixture("event"));
    expect(res.status).toBe(200);
    const [row] = await testDb.handle.db.select().from(stripeEvents).where(eq(stripeEvents.id, stripeFixture("event").id as string));
    expect(row).toMatchObject({ type: "plan.created", status: "ignored", objectId: "price_1PgafmB7WZ01zgkW6dKueIc5" });
  });
});
