import type { Metadata } from "next";

import { CheckoutButton } from "@/components/billing/checkout-button";
import { PLANS, formatPrice } from "@/lib/payments/plans";
import { paymentsEnabled } from "@/lib/payments/stripe";

export const metadata: Metadata = { title: "Pricing", description: "NWU Protocol plans: what each includes, its API rate limits and its price." };
export const dynamic = "force-dynamic";

export default function PricingPage() {
  const enabled = paymentsEnabled();
  return (
    <>
      <h1>Pricing</h1>
      <p>Every plan includes the public REST API with API keys; plans differ in daily quota, burst and number of keys.</p>
      {enabled ? null : (
        <p className="card" role="note" data-testid="payments-disabled">
          Payments are not configured on this server (no <code>STRIPE_SECRET_KEY</code>): the plans below are shown for reference and
          everyone uses the free plan.
        </p>
      )}
      <div className="grid">
        {Object.values(PLANS).map((p) => (
          <section key={p.id} className="card" aria-labelledby={`plan-${p.id}`} data-testid={`plan-${p.id}`}>
            <h2 id={`plan-${p.id}`}>{p.name}</h2>
            <p>
              <strong>{formatPrice(p.priceCents)}</strong>
              {p.priceCents ? " / month" : ""}
            </p>
            <p>{p.summary}</p>
            <ul>
              <li>{p.daily.toLocaleString("en-US")} API requests per day</li>
              <li>Bursts up to {p.burst} requests per 10 seconds</li>
              <li>Up to {p.maxKeys} active API keys</li>
            </ul>
            {enabled && p.id !== "free" ? <CheckoutButton plan={p.id} label={`Choose ${p.name}`} /> : null}
          </section>
        ))}
      </div>
    </>
  );
}
