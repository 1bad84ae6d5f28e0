import type { Metadata } from "next";
import Link from "next/link";

import { CheckoutButton } from "@/components/billing/checkout-button";
import { PlanNote } from "@/components/billing/plan-note";
import { currentUser } from "@/lib/auth/authorize";
import { billingOverview } from "@/lib/payments/billing";
import { includedRequests } from "@/lib/payments/metering";
import { PLANS, formatCents, formatPrice } from "@/lib/payments/plans";
import { paymentsEnabled } from "@/lib/payments/stripe";

export const metadata: Metadata = { title: "Pricing", description: "NWU Protocol plans: what each includes, its API rate limits and its price." };
export const dynamic = "force-dynamic";

export default async function PricingPage() {
  const enabled = paymentsEnabled();
  const user = await currentUser();
  // The plan Billing shows, from the same place: a signed-in visitor sees theirs marked.
  const plan = user ? (await billingOverview(user.userId)).plan : null;
  return (
    <>
      <h1>Pricing</h1>
      <p>
        Every plan includes the public REST API with API keys. Paid plans include requests per billing period and bill the ones beyond at a price per 1,000; plans also differ in daily
        quota, burst and number of keys.
      </p>
      <PlanNote plan={plan} paymentsEnabled={enabled} />
      <div className="grid">
        {Object.values(PLANS).map((p) => (
          <section key={p.id} className="card" aria-labelledby={`plan-${p.id}`} data-testid={`plan-${p.id}`} data-current={p.id === plan || undefined}>
            <h2 id={`plan-${p.id}`}>
              {p.name} {p.id === plan ? <span className="badge badge-ok">Your plan</span> : null}
            </h2>
            <p>
              <strong>{formatPrice(p.priceCents)}</strong>
              {p.priceCents ? " / month" : ""}
            </p>
            <p>{p.summary}</p>
            <ul>
              {p.overageCentsPer1k !== null ? (
                <>
                  <li>{includedRequests(p.id).toLocaleString("en-US")} API requests included per billing period</li>
                  <li>Then {formatCents(p.overageCentsPer1k)} per 1,000 requests</li>
                  <li>{p.periodCap === null ? "No cap per period" : `Capped at ${p.periodCap.toLocaleString("en-US")} requests per period`}</li>
                </>
              ) : null}
              <li>Up to {p.daily.toLocaleString("en-US")} API requests per day</li>
              <li>Bursts up to {p.burst} requests per 10 seconds</li>
              <li>Up to {p.maxKeys} active API keys</li>
            </ul>
            {p.id === plan ? (
              <Link href="/billing">Manage in Billing</Link>
            ) : enabled && p.id !== "free" ? (
              <CheckoutButton plan={p.id} label={`Choose ${p.name}`} />
            ) : null}
          </section>
        ))}
      </div>
    </>
  );
}
