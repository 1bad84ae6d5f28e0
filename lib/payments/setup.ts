import "server-only";

import type Stripe from "stripe";

import { PAID_PLANS, PLANS, type PaidPlan } from "./plans";

/** Lookup keys make setup idempotent: a price that exists is found, never created twice. */
export const LOOKUP_KEY: Record<PaidPlan, string> = { pro: "nwu_pro_monthly", enterprise: "nwu_enterprise_monthly" };

/** Finds or creates the monthly price of each paid plan; returns their ids. */
export async function ensurePrices(stripe: Stripe): Promise<Record<PaidPlan, string>> {
  const existing = await stripe.prices.list({ lookup_keys: Object.values(LOOKUP_KEY), active: true, limit: 10 });
  const out = {} as Record<PaidPlan, string>;
  for (const plan of PAID_PLANS) {
    const found = existing.data.find((p) => p.lookup_key === LOOKUP_KEY[plan]);
    if (found) {
      out[plan] = found.id;
      continue;
    }
    const spec = PLANS[plan];
    const product = await stripe.products.create({ name: `NWU Protocol ${spec.name}`, description: spec.summary }, { idempotencyKey: `product:${plan}` });
    const price = await stripe.prices.create(
      { product: product.id, currency: "usd", unit_amount: spec.priceCents, recurring: { interval: "month" }, lookup_key: LOOKUP_KEY[plan] },
      { idempotencyKey: `price:${plan}:${spec.priceCents}` },
    );
    out[plan] = price.id;
  }
  return out;
}
