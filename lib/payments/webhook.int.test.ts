import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { payments, stripeEvents, subscriptions, users } from "@/db/schema";
import { revenue } from "@/lib/admin/metrics";
import { setupTestDatabase } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { TEST_ORIGIN } from "@/test/siwe";
import { stripeEvent } from "@/test/stripe";
import { deliverWebhook as deliver, withStripeTestEnv } from "@/test/stripe-webhook";

const testDb = setupTestDatabase();

withStripeTestEnv();

async function customerUser(customer: string) {
  const { db } = testDb.handle;
  const u = await insertUser(db);
  await db.update(users).set({ stripeCustomerId: customer }).where(eq(users.id, u.id));
  return u;
}

const subscription = (id: string, customer: string, status: string, price = "price_pro", extra: Record<string, unknown> = {}) => ({
  id,
  object: "subscription",
  customer,
  status,
  cancel_at_period_end: false,
  canceled_at: null,
  metadata: {},
  items: { object: "list", data: [{ id: `si_${id}`, price: { id: price }, current_period_start: 1_790_000_000, current_period_end: 1_792_592_000 }] },
  ...extra,
});

async function sub(id: string) {
  const [s] = await testDb.handle.db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id));
  return s;
}

describe("Stripe webhook", () => {
  it("rejects a tampered body, a wrong secret, a missing header and a signature dated over 300 s away, past or future, with 400", async () => {
    const event = stripeEvent("customer.subscription.created", subscription("sub_x", "cus_x", "active"));
    // Read the clock at each delivery: on a loaded machine a second can pass between two of them,
    // and 301 s ahead taken from a stale "now" is only 300 s ahead by the time it is checked.
    const now = () => Math.floor(Date.now() / 1000);
    expect((await deliver(event, { tamper: true })).status).toBe(400);
    expect((await deliver(event, { secret: "whsec_someone_else" })).status).toBe(400);
    expect((await deliver(event, { timestamp: now() - 301 })).status).toBe(400);
    for (const ahead of [3600, 301]) {
      const res = await deliver(event, { timestamp: now() + ahead });
      expect(res.status).toBe(400);
      expect((await res.json()).detail).toContain("in the future");
    }
    const res = await webhookRoute(new Request(`${TEST_ORIGIN}/x`, { method: "POST", body: JSON.stringify(event) }), undefined);
    expect(res.status).toBe(400);
    // Signed, but not an event at all: nothing to record.
    for (const body of ["{}", "null", "[]", '{"id":"evt_no_type"}']) expect((await deliver(body)).status).toBe(400);
    expect(await testDb.handle.db.$count(stripeEvents)).toBe(0);
    // Within the tolerance either way (a signer's clock a little ahead of ours) is accepted.
    expect((await deliver(stripeEvent("customer.created", { id: "cus_skew" }), { timestamp: now() + 290 })).status).toBe(200);
    expect((await deliver(stripeEvent("customer.created", { id: "cus_late" }), { timestamp: now() - 290 })).status).toBe(200);
  });

  it("takes the plan and the period from the plan's item when the subscription also holds the metered overage price", async () => {
    await customerUser("cus_two_items");
    const metered = { id: "si_metered", price: { id: "price_overage_pro" }, current_period_start: 1_790_000_000, current_period_end: 1_792_592_000 };
    const planItem = { id: "si_plan", price: { id: "price_pro" }, current_period_start: 1_790_000_000, current_period_end: 1_792_592_000 };
    const event = stripeEvent("customer.subscription.created", subscription("sub_two_items", "cus_two_items", "active", "price_pro", { items: { object: "list", data: [metered, planItem] } }));
    expect((await deliver(event)).status).toBe(200);
    expect(await sub("sub_two_items")).toMatchObject({ plan: "pro", stripePriceId: "price_pro", currentPeriodEnd: new Date(1_792_592_000_000) });
  });

  it("the same signed event delivered 5× concurrently has one effect", async () => {
    await customerUser("cus_five");
    const event = stripeEvent("invoice.paid", {
      id: "in_five",
      object: "invoice",
      customer: "cus_five",
      amount_paid: 9900,
      amount_due: 9900,
      currency: "usd",
      number: "NWU-1",
      status_transitions: { paid_at: 1_790_000_100 },
      metadata: {},
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(bodies.filter((b) => b.result === "applied")).toHaveLength(1);
    expect(bodies.filter((b) => b.result === "duplicate")).toHaveLength(4);
    expect(await testDb.handle.db.$count(payments, eq(payments.stripeInvoiceId, "in_five"))).toBe(1);
  });

  it("a metered invoice (the plan plus its overage line) counts in revenue once, however often it is delivered", async () => {
    await customerUser("cus_metered");
    const before = (await revenue()).monthCents;
    const now = Math.floor(Date.now() / 1000);
    const event = stripeEvent("invoice.paid", {
      id: "in_metered",
      object: "invoice",
      customer: "cus_metered",
      amount_paid: 9900 + 750,
      amount_due: 9900 + 750,
      currency: "usd",
      status_transitions: { paid_at: now },
      lines: {
        object: "list",
        data: [
          { id: "il_plan", amount: 9900, price: { id: "price_pro" }, quantity: 1 },
          { id: "il_overage", amount: 750, price: { id: "price_overage_pro", recurring: { usage_type: "metered" } }, quantity: 15_000 },
        ],
      },
      metadata: {},
    });
    await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect((await revenue()).monthCents - before).toBe(10_650);
  });

  it("out of order: updated(active) before created(incomplete) ends active", async () => {
    await customerUser("cus_ooo");
    const t = Math.floor(Date.now() / 1000);
    const updated = stripeEvent("customer.subscription.updated", subscription("sub_ooo", "cus_ooo", "active"), { created: t });
    const created = stripeEvent("customer.subscription.created", subscription("sub_ooo", "cus_ooo", "incomplete"), { created: t - 5 });
    expect((await deliver(updated)).status).toBe(200);
    expect((await deliver(created)).status).toBe(200);
    expect(await sub("sub_ooo")).toMatchObject({ status: "active", plan: "pro" });
    // Same second, earlier lifecycle stage: still no regression.
    await deliver(stripeEvent("customer.subscription.created", subscription("sub_ooo", "cus_ooo", "incomplete"), { created: t }));
    expect((await sub("sub_ooo"))!.status).toBe("active");
  });

  it("a fault on our side answers 5xx and changes nothing; Stripe's retry then applies it once", async () => {
    const { db } = testDb.handle;
    await customerUser("cus_retry");
    const event = stripeEvent("invoice.paid", { id: "in_retry", object: "invoice", customer: "cus_retry", amount_paid: 2500, amount_due: 2500, currency: "usd", metadata: {} });
    // A real database error in the middle of the effect (after the event row was written).
    await db.execute(sql`CREATE FUNCTION nwu_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`);
    await db.execute(sql`CREATE TRIGGER nwu_test_fault BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION nwu_test_fault()`);
    const first = await deliver(event);
    expect(first.status).toBe(500);
    expect((await first.json()).detail).not.toContain("disk full"); // internals do not leak
    expect(await db.$count(stripeEvents, eq(stripeEvents.id, event.id))).toBe(0);
    await db.execute(sql`DROP TRIGGER nwu_test_fault ON payments`);
    await db.execute(sql`DROP FUNCTION nwu_test_fault()`);
    expect((await (await deliver(event)).json()).result).toBe("applied");
    expect((await (await deliver(event)).json()).result).toBe("duplicate");
    const rows = await db.select({ amount: payments.amountCents, status: payments.status }).from(payments).where(eq(payments.stripePaymentId, "in_retry"));
    expect(rows).toEqual([{ amount: 2500, status: "succeeded" }]);
  });

  it("an event for a customer this app never created is acknowledged as unmatched and applies nothing", async () => {
    const { db } = testDb.handle;
    const event = stripeEvent("customer.subscription.created", subscription("sub_stranger", "cus_stranger", "active", "price_ent"));
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, result: "unmatched" });
    const [row] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(row).toMatchObject({ type: "customer.subscription.created", status: "unmatched", objectId: "sub_stranger", customerId: "cus_stranger", reason: null });
    expect(await sub("sub_stranger")).toBeUndefined();
    // Linking the customer later does not revive it: Stripe has been told it was received.
    await customerUser("cus_stranger");
    expect((await (await deliver(event)).json()).result).toBe("duplicate");
    expect(await sub("sub_stranger")).toBeUndefined();
  });

  it("a malformed object is acknowledged as ignored with the reason, never a 500", async () => {
    await customerUser("cus_malformed");
    const event = stripeEvent("invoice.paid", { id: "in_malformed", object: "invoice", customer: "cus_malformed", amount_paid: null, amount_due: 100, currency: "usd" });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, result: "ignored", reason: "data.object.amount_paid: Invalid input: expected number, received null" });
    const [row] = await testDb.handle.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(row).toMatchObject({ status: "ignored", objectId: "in_malformed", customerId: "cus_malformed", reason: "data.object.amount_paid: Invalid input: expected number, received null" });
    expect(await testDb.handle.db.$count(payments, eq(payments.stripePaymentId, "in_malformed"))).toBe(0);

    // Values PostgreSQL would refuse mid-transaction are caught before it, too.
    const invoice = { object: "invoice", customer: "cus_malformed", amount_paid: 100, amount_due: 100, currency: "usd" };
    const refused = [
      stripeEvent("invoice.paid", { ...invoice, id: "in_nul", description: "a\u0000b" }),
      stripeEvent("invoice.paid", { ...invoice, id: "in_huge", amount_paid: 2 ** 31 }),
      stripeEvent("invoice.paid", { ...invoice, id: `in_${"x".repeat(3000)}` }),
      stripeEvent("customer.subscription.updated", subscription("sub_far", "cus_malformed", "active", "price_pro", { canceled_at: 1e15 })),
      stripeEvent("invoice.paid", { ...invoice, id: "in_when" }, { created: 1e15 }),
    ];
    for (const e of refused) expect(await (await deliver(e)).json()).toMatchObject({ result: "ignored" });
    expect(await testDb.handle.db.$count(payments, inArray(payments.stripePaymentId, ["in_nul", "in_huge", "in_when"]))).toBe(0);
    expect(await sub("sub_far")).toBeUndefined();
  });

  it("checkout completion links the customer and activates the plan; unknown types are acknowledged", async () => {
    const { db } = testDb.handle;
    const u = await insertUser(db);
    const res = await deliver(
      stripeEvent("checkout.session.completed", {
        id: "cs_1",
        object: "checkout.session",
        mode: "subscription",
        customer: "cus_checkout",
        subscription: "sub_checkout",
        client_reference_id: u.id,
        payment_status: "paid",
        metadata: { plan: "pro", userId: u.id },
      }),
    );
    expect(res.status).toBe(200);
    const [user] = await db.select({ c: users.stripeCustomerId }).from(users).where(eq(users.id, u.id));
    expect(user!.c).toBe("cus_checkout");
    expect(await sub("sub_checkout")).toMatchObject({ userId: u.id, status: "active", plan: "pro" });
    expect((await (await deliver(stripeEvent("customer.created", { id: "cus_other" }))).json()).result).toBe("ignored");
  });

  it("one-time payments and refunds; a payment never moves backwards", async () => {
    const { db } = testDb.handle;
    await customerUser("cus_pi");
    const pi = { id: "pi_1", object: "payment_intent", customer: "cus_pi", amount: 5000, amount_received: 5000, currency: "usd", created: 1_790_000_000, description: "Credits", metadata: {} };
    await deliver(stripeEvent("payment_intent.succeeded", pi));
    await deliver(stripeEvent("charge.refunded", { id: "ch_1", object: "charge", payment_intent: "pi_1", amount_refunded: 5000, refunded: true }));
    await deliver(stripeEvent("payment_intent.succeeded", pi)); // a late redelivery with a new id
    const [p] = await db.select().from(payments).where(eq(payments.stripePaymentId, "pi_1"));
    expect(p).toMatchObject({ status: "refunded", refundedCents: 5000, amountCents: 5000 });
  });
});

describe("Stripe webhook under load", () => {
  it("1,000 events (30% duplicates, shuffled, concurrent) reach the same state as a sequential replay", async () => {
    const { db } = testDb.handle;
    const customers = Array.from({ length: 20 }, (_, i) => `cus_load_${i}`);
    for (const c of customers) await customerUser(c);
    const t0 = Math.floor(Date.now() / 1000) - 10_000;
    const statuses = ["incomplete", "active", "past_due", "active", "canceled"];
    const unique: ReturnType<typeof stripeEvent>[] = [];
    for (let i = 0; i < 700; i++) {
      const c = customers[i % customers.length]!;
      if (i % 2 === 0) {
        const step = Math.floor(i / customers.length) % statuses.length;
        unique.push(stripeEvent("customer.subscription.updated", subscription(`sub_${c}`, c, statuses[step]!, i % 3 ? "price_pro" : "price_ent"), { created: t0 + i }));
      } else {
        unique.push(
          stripeEvent("invoice.paid", { id: `in_load_${i}`, object: "invoice", customer: c, amount_paid: 100 + i, amount_due: 100 + i, currency: "usd", status_transitions: { paid_at: t0 + i }, metadata: {} }, { created: t0 + i }),
        );
      }
    }
    const deliveries = [...unique, ...Array.from({ length: 300 }, (_, i) => unique[(i * 7) % unique.length]!)];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    // Concurrent, 25 in flight at a time.
    for (let i = 0; i < deliveries.length; i += 25) {
      const batch = await Promise.all(deliveries.slice(i, i + 25).map((e) => deliver(e)));
      expect(batch.every((r) => r.status === 200)).toBe(true);
    }
    const concurrent = await snapshot();

    // The expected state: the newest event per subscription wins; every invoice once.
    const latest = new Map<string, { status: string; price: string }>();
    for (const e of unique.filter((e) => e.type === "customer.subscription.updated")) {
      const o = e.data.object as ReturnType<typeof subscription>;
      latest.set(o.id, { status: o.status, price: o.items.data[0]!.price.id });
    }
    expect(concurrent.subs).toEqual([...latest.entries()].map(([id, v]) => ({ id, status: v.status, plan: v.price === "price_pro" ? "pro" : "enterprise" })).sort((a, b) => a.id.localeCompare(b.id)));
    expect(concurrent.invoiceCount).toBe(350);
    expect(concurrent.invoiceSum).toBe(unique.filter((e) => e.type === "invoice.paid").reduce((s, e) => s + (e.data.object as { amount_paid: number }).amount_paid, 0));
    expect(await db.$count(stripeEvents)).toBeGreaterThanOrEqual(700);

    // And a sequential replay of the same events, from scratch, ends in the same state.
    await db.execute(sql`DELETE FROM payments WHERE stripe_invoice_id LIKE 'in_load_%'`);
    await db.execute(sql`DELETE FROM subscriptions WHERE stripe_subscription_id LIKE 'sub_cus_load_%'`);
    await db.delete(stripeEvents).where(inArray(stripeEvents.id, unique.map((e) => e.id)));
    for (const e of unique) expect((await deliver(e)).status).toBe(200);
    expect(await snapshot()).toEqual(concurrent);

    async function snapshot() {
      const subs = await db.select({ id: subscriptions.stripeSubscriptionId, status: subscriptions.status, plan: subscriptions.plan }).from(subscriptions);
      const invoices = await db.select({ amount: payments.amountCents, id: payments.stripeInvoiceId }).from(payments);
      const load = invoices.filter((p) => p.id?.startsWith("in_load_"));
      return {
        subs: subs.filter((s) => s.id?.startsWith("sub_cus_load_")).sort((a, b) => a.id!.localeCompare(b.id!)),
        invoiceCount: load.length,
        invoiceSum: load.reduce((s, p) => s + p.amount, 0),
      };
    }
  });
});
