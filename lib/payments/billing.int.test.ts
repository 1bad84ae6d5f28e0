import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { payments, subscriptions, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { startFakeStripe, type FakeStripe } from "@/test/fake-stripe";
import { insertUser } from "@/test/fixtures";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET } from "@/test/stripe";

import { billingOverview, cancelAtPeriodEnd, createOneTimePayment, ensureCustomer, openPortal, startCheckout } from "./billing";
import { applyStripeEvent } from "./webhook";

const testDb = setupTestDatabase();
let fake: FakeStripe;
const ORIGIN = "http://localhost:3000";
const ENV = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_PRO", "STRIPE_PRICE_ENTERPRISE", "STRIPE_PRICE_ENTERPRISE_OVERAGE", "STRIPE_API_BASE"];

beforeAll(async () => {
  fake = await startFakeStripe();
  Object.assign(process.env, { STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_PRICE_PRO: "price_pro", STRIPE_PRICE_ENTERPRISE: "price_ent", STRIPE_PRICE_ENTERPRISE_OVERAGE: "price_ent_overage", STRIPE_API_BASE: fake.url });
  resetEnvCache();
});
afterAll(async () => {
  for (const k of ENV) delete process.env[k];
  resetEnvCache();
  await fake.close();
});

const asUser = (u: { id: string; address: string }) => ({ userId: u.id, address: u.address });

describe("Stripe flows through the real SDK", () => {
  it("creates the customer once, even when asked concurrently", async () => {
    const u = await insertUser(testDb.handle.db);
    const ids = await Promise.all(Array.from({ length: 4 }, () => ensureCustomer(asUser(u))));
    expect(new Set(ids).size).toBe(1);
    expect([...fake.customers.values()].filter((c) => (c.metadata as { userId?: string }).userId === u.id)).toHaveLength(1);
    const [row] = await testDb.handle.db.select({ c: users.stripeCustomerId }).from(users).where(eq(users.id, u.id));
    expect(row!.c).toBe(ids[0]);
    expect(fake.requests.filter((r) => r.path === "/v1/customers").every((r) => r.idempotencyKey === `customer:${u.id}`)).toBe(true);
  });

  it("starts Checkout with the server's prices for the plan (the metered overage one without a quantity) and comes back to /billing", async () => {
    const u = await insertUser(testDb.handle.db);
    const url = await startCheckout(asUser(u), "enterprise", ORIGIN);
    const session = [...fake.sessions.values()].at(-1)!;
    expect(url).toBe(`${ORIGIN}/billing?checkout=success&session_id=${session.id}`);
    expect(session).toMatchObject({ mode: "subscription", client_reference_id: u.id, metadata: { plan: "enterprise", userId: u.id }, line_items: [{ price: "price_ent", quantity: "1" }, { price: "price_ent_overage" }] });
    expect(fake.requests.at(-1)!.idempotencyKey).toMatch(/^checkout:/);
    // Pro has no overage price configured here: its Checkout sells the plan alone.
    await startCheckout(asUser(await insertUser(testDb.handle.db)), "pro", ORIGIN);
    expect([...fake.sessions.values()].at(-1)!.line_items).toEqual([{ price: "price_pro", quantity: "1" }]);
  });

  it("opens the Billing Portal", async () => {
    const u = await insertUser(testDb.handle.db);
    expect(await openPortal(asUser(u), ORIGIN)).toBe(`${ORIGIN}/billing`);
  });

  it("cancels at period end, only for the owner", async () => {
    const { db } = testDb.handle;
    const u = await insertUser(db);
    const stranger = await insertUser(db);
    fake.subscriptions.set("sub_owned", { id: "sub_owned", object: "subscription", cancel_at_period_end: false });
    const [s] = await db.insert(subscriptions).values({ userId: u.id, plan: "pro", status: "active", stripeSubscriptionId: "sub_owned" }).returning({ id: subscriptions.id });
    await expect(cancelAtPeriodEnd({ userId: stranger.id, subscriptionId: s!.id })).rejects.toThrow(/No such paid subscription/);
    await cancelAtPeriodEnd({ userId: u.id, subscriptionId: s!.id });
    expect(fake.subscriptions.get("sub_owned")!.cancel_at_period_end).toBe(true);
    expect((await billingOverview(u.id)).subscription).toMatchObject({ plan: "pro", cancelAtPeriodEnd: true, paid: true });
  });

  it("takes one-time payments through PaymentIntents, confirmed by the webhook", async () => {
    const { db } = testDb.handle;
    const u = await insertUser(db);
    const { paymentIntentId, clientSecret } = await createOneTimePayment(asUser(u), 2500, "API credits");
    expect(clientSecret).toMatch(/^pi_\w+_secret_/);
    const [pending] = await db.select().from(payments).where(eq(payments.stripePaymentId, paymentIntentId));
    expect(pending).toMatchObject({ status: "pending", amountCents: 2500 });
    const pi = fake.paymentIntents.get(paymentIntentId)!;
    await applyStripeEvent({ id: "evt_pi_ok", type: "payment_intent.succeeded", created: Math.floor(Date.now() / 1000), data: { object: { ...pi, amount_received: 2500 } } } as never);
    const [done] = await db.select().from(payments).where(eq(payments.stripePaymentId, paymentIntentId));
    expect(done!.status).toBe("succeeded");
  });

  it("without a secret key, paying is refused with a clear 503", async () => {
    delete process.env.STRIPE_SECRET_KEY;
    resetEnvCache();
    try {
      const u = await insertUser(testDb.handle.db);
      await expect(startCheckout(asUser(u), "pro", ORIGIN)).rejects.toThrow(/Payments are not configured/);
    } finally {
      process.env.STRIPE_SECRET_KEY = TEST_STRIPE_KEY;
      resetEnvCache();
    }
  });
});
