import type { Metadata } from "next";
import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { BuyCredits } from "@/components/billing/buy-credits";
import { CancelButton } from "@/components/billing/cancel-button";
import { CheckoutButton } from "@/components/billing/checkout-button";
import { PageLinks } from "@/components/next-page-link";
import { pageUser } from "@/lib/auth/page-guards";
import { formatDateTime } from "@/lib/format";
import { billingOverview, paymentHistory } from "@/lib/payments/billing";
import { PeriodUsageCard } from "@/components/billing/period-usage";
import { periodUsage } from "@/lib/payments/metering";
import { PLANS } from "@/lib/payments/plans";
import { paymentsEnabled } from "@/lib/payments/stripe";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";
import { TableWrap } from "@/components/table-wrap";

export const metadata: Metadata = { title: "Billing", description: "Your NWU Protocol plan, its API limits, and your payments." };

type Search = Promise<SearchParams>;
const one = firstParam;

export default async function BillingPage({ searchParams }: { searchParams: Search }) {
  const user = await pageUser();
  const params = await searchParams;
  const cursor = pageCursor(params, "cursor", true);
  const [overview, history] = await Promise.all([billingOverview(user.userId), paymentHistory({ userId: user.userId, cursor, limit: 20 })]);
  const sub = overview.subscription;
  const usage = sub?.paid && PLANS[sub.plan].overageCentsPer1k !== null ? await periodUsage(sub.id, sub.plan) : null;
  return (
    <>
      <h1>Billing</h1>
      {one(params.checkout) === "success" ? (
        <p className="card" role="status">
          Thank you. Your plan becomes active as soon as Stripe confirms the payment.
        </p>
      ) : null}
      <section className="card" aria-labelledby="plan-title" data-testid="current-plan">
        <h2 id="plan-title">Plan</h2>
        <p>
          <strong data-testid="plan-name">{PLANS[overview.plan].name}</strong> ·{" "}
          <span className="badge" data-testid="plan-status">
            {sub?.status ?? "active"}
          </span>
        </p>
        {sub?.currentPeriodEnd ? (
          <p>
            {sub.cancelAtPeriodEnd ? "Ends" : "Renews"} on {formatDateTime(sub.currentPeriodEnd)}
          </p>
        ) : null}
        <div className="toolbar">
          {paymentsEnabled() ? (
            sub?.paid ? (
              <>
                <CheckoutButton portal label="Manage billing" />
                {!sub.cancelAtPeriodEnd ? <CancelButton subscriptionId={sub.id} /> : null}
              </>
            ) : (
              <Link className="button button-primary" href="/pricing">
                Upgrade
              </Link>
            )
          ) : (
            <p>Payments are not configured on this server.</p>
          )}
        </div>
      </section>
      {usage && sub ? <PeriodUsageCard usage={usage} plan={sub.plan} /> : null}
      {paymentsEnabled() ? <BuyCredits /> : null}
      <section aria-labelledby="payments-title">
        <h2 id="payments-title" className="section-title">
          Payment history
        </h2>
        {history.items.length === 0 ? (
          <p className="card">No payments yet.</p>
        ) : (
          <TableWrap label="Payments">
            <table className="table" data-testid="payments-table">
              <ColumnHeads names={["Date", "Description", "Amount", "Status"]} />
              <tbody>
                {history.items.map((p) => (
                  <tr key={p.id}>
                    <td>{formatDateTime(p.createdAt)}</td>
                    <td>{p.description}</td>
                    <td>
                      {(p.amountCents / 100).toFixed(2)} {p.currency.toUpperCase()}
                      {p.refundedCents ? ` (refunded ${(p.refundedCents / 100).toFixed(2)})` : ""}
                    </td>
                    <td>{p.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <PageLinks label="Payment pages" prev={history.prevCursor ? `/billing?cursor=${history.prevCursor}` : null} next={history.nextCursor ? `/billing?cursor=${history.nextCursor}` : null} />
      </section>
    </>
  );
}
