import { shortDay, StackedBarChart } from "@/components/charts/bar-chart";
import { StatCard } from "@/components/stat-card";
import { TitledSection } from "@/components/titled-section";
import type { Revenue } from "@/lib/admin/metrics";
import { formatUsd as usd } from "@/lib/format";

export function RevenueSection({ money }: { money: Revenue }) {
  return (
    <TitledSection id="revenue-title" title="Revenue">
      <div className="cards">
        <StatCard heading="h3" label="MRR" value={usd(money.mrrCents)} testId="admin-mrr" />
        <StatCard heading="h3" label="ARR" value={usd(money.arrCents)} testId="admin-arr" />
        <StatCard heading="h3" label="Revenue this month" value={usd(money.monthCents)} testId="admin-month-revenue" />
        <StatCard heading="h3" label="Churn (30 days)" value={`${(money.churn30d * 100).toFixed(1)}%`} testId="admin-churn" />
        <StatCard heading="h3" label="Active subscriptions" value={money.activeSubscriptions} testId="admin-active-subs" />
        <StatCard
          heading="h3"
          label="Billed API usage this month"
          value={`${money.billedUsage.requests.toLocaleString("en-US")} requests · ${usd(money.billedUsage.cents)}`}
          testId="admin-billed-usage"
        />
        <StatCard heading="h3" label="Overage waiting to be reported" value={money.billedUsage.waiting.toLocaleString("en-US")} testId="admin-usage-waiting" />
      </div>
      <StackedBarChart
        title="Daily revenue, last 90 days (USD)"
        labels={money.daily.map((d) => d.date)}
        tickLabel={shortDay}
        xTitle="Day"
        yTitle="USD"
        series={[{ key: "usd", label: "revenue", color: "#16a34a" }]}
        values={money.daily.map((d) => ({ usd: d.cents / 100 }))}
      />
    </TitledSection>
  );
}
