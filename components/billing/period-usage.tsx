import type { Plan } from "@/db/schema";
import { formatDateTime } from "@/lib/format";
import type { PeriodUsage } from "@/lib/payments/metering";
import { PLANS, formatCents } from "@/lib/payments/plans";

const n = (v: number) => v.toLocaleString("en-US");

/** This billing period's API requests: included vs billed so far, and the overage at the current pace. */
export function PeriodUsageCard({ usage, plan }: { usage: PeriodUsage; plan: Plan }) {
  const spec = PLANS[plan];
  return (
    <section className="card" aria-labelledby="usage-title" data-testid="period-usage">
      <h2 id="usage-title">API usage this period</h2>
      <p>
        {formatDateTime(usage.periodStart)} – {formatDateTime(usage.periodEnd)}
      </p>
      <dl className="facts">
        <div>
          <dt>Requests</dt>
          <dd data-testid="usage-requests">{n(usage.requests)}</dd>
        </div>
        <div>
          <dt>Included</dt>
          <dd data-testid="usage-included">
            {n(Math.min(usage.requests, usage.included))} of {n(usage.included)}
          </dd>
        </div>
        <div>
          <dt>Billed beyond them</dt>
          <dd data-testid="usage-billed">
            {n(usage.billed)} ({formatCents(usage.billedCents)})
          </dd>
        </div>
        <div>
          <dt>Projected overage</dt>
          <dd data-testid="usage-projected">
            {n(usage.projectedBilled)} requests, {formatCents(usage.projectedOverageCents)}
          </dd>
        </div>
      </dl>
      <p>
        {spec.overageCentsPer1k !== null ? `${formatCents(spec.overageCentsPer1k)} per 1,000 requests beyond the included ones` : null}
        {spec.periodCap !== null ? `; requests stop at ${n(spec.periodCap)} this period.` : "; no cap."}
      </p>
    </section>
  );
}
