import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "@/db/client";
import { payments, stripeEvents, users } from "@/db/schema";
import { setupProxiedPostgres } from "@/test/db";
import { insertUser } from "@/test/fixtures";
import { TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET, stripeEvent } from "@/test/stripe";
import { deliverWebhook } from "@/test/stripe-webhook";

const db = setupProxiedPostgres({ STRIPE_SECRET_KEY: TEST_STRIPE_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

describe("Stripe webhook while the database is down", () => {
  it("answers 5xx so Stripe retries, and the retry once the database is back applies the event once", async () => {
    const user = await insertUser(getDb());
    await getDb().update(users).set({ stripeCustomerId: "cus_outage" }).where(eq(users.id, user.id));
    const event = stripeEvent("invoice.paid", { id: "in_outage", object: "invoice", customer: "cus_outage", amount_paid: 4200, amount_due: 4200, currency: "usd", metadata: {} });

    db.proxy().down();
    const during = await deliverWebhook(event);
    expect(during.status).toBe(503);
    db.proxy().up();

    expect((await (await deliverWebhook(event)).json()).result).toBe("applied");
    expect((await (await deliverWebhook(event)).json()).result).toBe("duplicate");
    expect(await getDb().select({ amount: payments.amountCents }).from(payments).where(eq(payments.stripePaymentId, "in_outage"))).toEqual([{ amount: 4200 }]);
    expect(await getDb().$count(stripeEvents, eq(stripeEvents.id, event.id))).toBe(1);
  });
});
