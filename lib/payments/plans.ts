import type { Plan } from "@/db/schema";

/**
 * Plans are priced here, on the server; clients only ever name a plan. Quotas count API-key
 * requests per key: `daily` per UTC day, `burst` per BURST_WINDOW_SECONDS.
 */
export interface PlanSpec {
  id: Plan;
  name: string;
  priceCents: number;
  daily: number;
  burst: number;
  maxKeys: number;
  summary: string;
}

export const BURST_WINDOW_SECONDS = 10;

export const PLANS: Record<Plan, PlanSpec> = {
  free: { id: "free", name: "Free", priceCents: 0, daily: 100, burst: 10, maxKeys: 2, summary: "Try the API: 100 requests a day." },
  pro: { id: "pro", name: "Pro", priceCents: 9_900, daily: 10_000, burst: 50, maxKeys: 10, summary: "For teams and tools: 10,000 requests a day." },
  enterprise: { id: "enterprise", name: "Enterprise", priceCents: 99_900, daily: 100_000, burst: 200, maxKeys: 50, summary: "At scale: 100,000 requests a day." },
};

export const PAID_PLANS = ["pro", "enterprise"] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];

export const formatPrice = (cents: number) => (cents === 0 ? "$0" : `$${(cents / 100).toLocaleString("en-US")}`);
