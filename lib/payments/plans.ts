import type { Plan } from "@/db/schema";

/**
 * Plans are priced here, on the server; clients only ever name a plan. Rate limits count API-key
 * requests per key: `daily` per UTC day, `burst` per BURST_WINDOW_SECONDS. A paid plan also includes
 * `includedRequests` per billing period (the subscription's own cycle, summed over the customer's keys);
 * accepted requests beyond them are billed at `overageCentsPer1k` through Stripe's meter, up to
 * `periodCap` requests a period (null: no cap), after which requests answer 429.
 */
export interface PlanSpec {
  id: Plan;
  name: string;
  priceCents: number;
  daily: number;
  burst: number;
  maxKeys: number;
  includedRequests: number;
  /** US cents per 1,000 requests beyond the included ones (null: not billed, the free plan). */
  overageCentsPer1k: number | null;
  periodCap: number | null;
  summary: string;
}

export const BURST_WINDOW_SECONDS = 10;

export const PLANS: Record<Plan, PlanSpec> = {
  free: { id: "free", name: "Free", priceCents: 0, daily: 100, burst: 10, maxKeys: 2, includedRequests: 0, overageCentsPer1k: null, periodCap: null, summary: "Try the API: 100 requests a day." },
  pro: {
    id: "pro",
    name: "Pro",
    priceCents: 9_900,
    daily: 10_000,
    burst: 50,
    maxKeys: 10,
    includedRequests: 200_000,
    overageCentsPer1k: 50,
    periodCap: 1_000_000,
    summary: "For teams and tools: 200,000 requests a month included.",
  },
  enterprise: {
    id: "enterprise",
    name: "Enterprise",
    priceCents: 99_900,
    daily: 100_000,
    burst: 200,
    maxKeys: 50,
    includedRequests: 2_500_000,
    overageCentsPer1k: 20,
    periodCap: null,
    summary: "At scale: 2.5 million requests a month included, no cap.",
  },
};

export const PAID_PLANS = ["pro", "enterprise"] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];

export const formatPrice = (cents: number) => (cents === 0 ? "$0" : `$${(cents / 100).toLocaleString("en-US")}`);

/** "$0.50" for 50 cents: overage prices are cents, often below a dollar. */
export const formatCents = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** Does this plan pay (its API reads share in the month's revenue)? */
export const isPaidPlan = (plan: Plan): plan is PaidPlan => (PAID_PLANS as readonly string[]).includes(plan);
