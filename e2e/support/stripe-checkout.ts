import { expect, type Page } from "@playwright/test";

import { stripePort } from "../../playwright.config";
import { signedDelivery, stripeEvent } from "../../test/stripe";

/** Delivers a Stripe event to the page's server as Stripe would (signed), expecting it applied. */
export async function deliverStripeEvent(page: Page, event: object): Promise<void> {
  const { payload, header } = signedDelivery(event);
  const webhook = await page.request.post("/api/stripe/webhook", { headers: { "stripe-signature": header, "content-type": "application/json" }, data: payload });
  expect(webhook.status()).toBe(200);
  expect((await webhook.json()).result).toBe("applied");
}

/**
 * Subscribes the signed-in page's user to Pro the way a customer does: "Choose Pro" on /pricing, the
 * (fake) Stripe Checkout back to /billing, then Stripe's webhooks — the completed session, and the
 * subscription with its billing period (on the plan's item, beside the metered one).
 */
export async function subscribeToPro(page: Page): Promise<{ subscriptionId: string; customer: string; sessionId: string }> {
  await page.goto("/pricing");
  await page.getByTestId("plan-pro").getByRole("button", { name: "Choose Pro" }).click();
  await page.waitForURL(/\/billing\?checkout=success&session_id=cs_test_/);
  const sessionId = new URL(page.url()).searchParams.get("session_id")!;
  const state = await (await fetch(`http://127.0.0.1:${stripePort}/__state`)).json();
  const session = state.sessions.find((s: { id: string }) => s.id === sessionId);
  expect(session.metadata.plan).toBe("pro");
  const subscriptionId = `sub_e2e_${Date.now()}`;
  await deliverStripeEvent(page, stripeEvent("checkout.session.completed", { ...session, status: "complete", payment_status: "paid", subscription: subscriptionId }));
  const now = Math.floor(Date.now() / 1000);
  const period = { current_period_start: now - 86_400, current_period_end: now + 29 * 86_400 };
  await deliverStripeEvent(
    page,
    stripeEvent("customer.subscription.updated", {
      id: subscriptionId,
      object: "subscription",
      customer: session.customer,
      status: "active",
      cancel_at_period_end: false,
      canceled_at: null,
      metadata: session.metadata,
      items: { object: "list", data: [{ id: "si_overage", price: { id: "price_pro_overage_e2e" }, ...period }, { id: "si_plan", price: { id: "price_pro_e2e" }, ...period }] },
    }),
  );
  return { subscriptionId, customer: session.customer as string, sessionId };
}
