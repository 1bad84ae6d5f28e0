import "server-only";

import Stripe from "stripe";

import { METER_EVENT_NAME } from "./metering";
import { PAID_PLANS, PLANS, type PaidPlan } from "./plans";

/** Lookup keys make setup idempotent: a price that exists is found, never created twice. */
export const LOOKUP_KEY: Record<PaidPlan, string> = { pro: "nwu_pro_monthly", enterprise: "nwu_enterprise_monthly" };
/** The metered overage prices, per request (the plan's price per 1,000 / 1,000). */
export const OVERAGE_LOOKUP_KEY: Record<PaidPlan, string> = { pro: "nwu_pro_overage", enterprise: "nwu_enterprise_overage" };

export interface SetupPrices {
  plans: Record<PaidPlan, string>;
  overage: Record<PaidPlan, string>;
  meter: string;
}

/** The meter that sums the requests reported beyond the included ones, per Stripe customer; found by its event name. */
export async function ensureMeter(stripe: Stripe): Promise<string> {
  for await (const meter of stripe.billing.meters.list({ status: "active", limit: 100 })) if (meter.event_name === METER_EVENT_NAME) return meter.id;
  const meter = await stripe.billing.meters.create(
    {
      display_name: "NWU API requests beyond the plan",
      event_name: METER_EVENT_NAME,
      default_aggregation: { formula: "sum" },
      customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
      value_settings: { event_payload_key: "value" },
    },
    { idempotencyKey: `meter:${METER_EVENT_NAME}` },
  );
  return meter.id;
}

/** Finds or creates each paid plan's product, monthly price and metered overage price, and the meter; returns their ids. */
export async function ensurePrices(stripe: Stripe): Promise<SetupPrices> {
  const meter = await ensureMeter(stripe);
  const existing = await stripe.prices.list({ lookup_keys: [...Object.values(LOOKUP_KEY), ...Object.values(OVERAGE_LOOKUP_KEY)], active: true, limit: 10 });
  const found = (key: string) => existing.data.find((p) => p.lookup_key === key);
  const out: SetupPrices = { plans: {} as Record<PaidPlan, string>, overage: {} as Record<PaidPlan, string>, meter };
  for (const plan of PAID_PLANS) {
    const spec = PLANS[plan];
    const plain = found(LOOKUP_KEY[plan]);
    const overage = found(OVERAGE_LOOKUP_KEY[plan]);
    // One product per plan holds both prices: an existing price names it.
    const known = plain?.product ?? overage?.product;
    const product = async () =>
      known ? (typeof known === "string" ? known : known.id) : (await stripe.products.create({ name: `NWU Protocol ${spec.name}`, description: spec.summary }, { idempotencyKey: `product:${plan}` })).id;
    out.plans[plan] =
      plain?.id ??
      (
        await stripe.prices.create(
          { product: await product(), currency: "usd", unit_amount: spec.priceCents, recurring: { interval: "month" }, lookup_key: LOOKUP_KEY[plan] },
          { idempotencyKey: `price:${plan}:${spec.priceCents}` },
        )
      ).id;
    out.overage[plan] =
      overage?.id ??
      (
        await stripe.prices.create(
          {
            product: await product(),
            currency: "usd",
            // Per request, in cents with decimals: 50 cents per 1,000 is 0.05.
            unit_amount_decimal: Stripe.Decimal.from(`${spec.overageCentsPer1k!}e-3`),
            recurring: { interval: "month", usage_type: "metered", meter },
            lookup_key: OVERAGE_LOOKUP_KEY[plan],
          },
          { idempotencyKey: `overage:${plan}:${spec.overageCentsPer1k}:${meter}` },
        )
      ).id;
  }
  return out;
}
