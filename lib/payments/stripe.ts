import "server-only";

import Stripe from "stripe";

import type { Plan } from "@/db/schema";
import { getEnv } from "@/lib/config/env";
import { ServiceUnavailableError } from "@/lib/errors";

import type { PaidPlan } from "./plans";

let client: { key: string; stripe: Stripe } | undefined;

/** Whether this server can take payments (a secret key is configured). */
export function paymentsEnabled(): boolean {
  return !!getEnv().STRIPE_SECRET_KEY;
}

/** The Stripe SDK with a timeout and network retries (the SDK retries with the same idempotency key). */
export function getStripe(): Stripe {
  const env = getEnv();
  if (!env.STRIPE_SECRET_KEY) throw new ServiceUnavailableError("Payments are not configured on this server");
  const key = `${env.STRIPE_SECRET_KEY}|${env.STRIPE_API_BASE ?? ""}|${env.STRIPE_TIMEOUT_MS}`;
  if (client?.key !== key) {
    const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
    client = {
      key,
      stripe: new Stripe(env.STRIPE_SECRET_KEY, {
        timeout: env.STRIPE_TIMEOUT_MS,
        maxNetworkRetries: 2,
        appInfo: { name: "nwu-protocol" },
        ...(base ? { host: base.hostname, port: Number(base.port || (base.protocol === "https:" ? 443 : 80)), protocol: base.protocol.replace(":", "") as "http" | "https" } : {}),
      }),
    };
  }
  return client.stripe;
}

/** Price id of a paid plan from configuration. */
export function priceFor(plan: PaidPlan): string {
  const env = getEnv();
  const price = plan === "pro" ? env.STRIPE_PRICE_PRO : env.STRIPE_PRICE_ENTERPRISE;
  // The people who see this are buyers: the setup checklist on /admin names the missing setting.
  if (!price) throw new ServiceUnavailableError(`The ${plan} plan cannot be bought on this server yet`);
  return price;
}

/** The metered overage price of a paid plan, when configured (Checkout adds it beside the plan's price). */
export function overagePriceFor(plan: PaidPlan): string | undefined {
  const env = getEnv();
  return plan === "pro" ? env.STRIPE_PRICE_PRO_OVERAGE : env.STRIPE_PRICE_ENTERPRISE_OVERAGE;
}

/** Which plan a Stripe price id is (unknown prices are treated as free: never grant more than paid for). */
export function planForPrice(priceId: string | null | undefined): Plan {
  const env = getEnv();
  if (priceId && priceId === env.STRIPE_PRICE_PRO) return "pro";
  if (priceId && priceId === env.STRIPE_PRICE_ENTERPRISE) return "enterprise";
  return "free";
}
