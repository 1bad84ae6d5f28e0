import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { checksum } from "@/lib/checksum";

import { shortDay, StackedBarChart } from "@/components/charts/bar-chart";
import { ContributionTable } from "@/components/contributions/contribution-table";
import { ApiEarnings } from "@/components/rewards/api-earnings";
import { StatCard } from "@/components/stat-card";
import { getDb } from "@/db/client";
import type { ContributionStatus } from "@/db/schema";
import { OPEN_STATUSES } from "@/db/vocabulary";
import { pageUser } from "@/lib/auth/page-guards";
import type { SessionUser } from "@/lib/auth/sessions";
import { listContributions } from "@/lib/contributions/queries";
import { apiUsage, qualityDistribution, weeklyContributions } from "@/lib/dashboard/queries";
import { currentPlan } from "@/lib/payments/current-plan";
import { PLANS } from "@/lib/payments/plans";
import { apiEarnings } from "@/lib/revenue/earnings";
import { getUserStats } from "@/lib/users/stats";
import { withPageReads } from "@/lib/http/read-floor";

export const metadata: Metadata = { title: "Dashboard", description: "Your contributions, reviews and rewards on NWU Protocol at a glance." };

/** A colour per status (every status has one: the type demands it), in the chart's stacking order. */
const STATUS_COLORS: Record<ContributionStatus, string> = {
  verified: "#16a34a",
  rejected: "#dc2626",
  appealed: "#ea580c",
  verifying: "#d97706",
  pending: "#6366f1",
  halted: "#64748b",
  paused: "#94a3b8",
};
const STATUS_SERIES = Object.entries(STATUS_COLORS).map(([key, color]) => ({ key, label: key, color }));

const tokens = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** Signed-out visitors get the 401 page before anything streams; the figures stream in behind a skeleton. */
export default async function DashboardPage() {
  const user = await pageUser();
  return (
    <>
      <h1>Dashboard</h1>
      <p className="mono" data-testid="dashboard-address">
        {checksum(user.address)}
      </p>
      <Suspense fallback={<DashboardSkeleton />}>
        <DashboardFigures user={user} />
      </Suspense>
      <section aria-labelledby="own-data-title">
        <h2 id="own-data-title" className="section-title">
          Your data
        </h2>
        <div className="card own-data">
          <p className="hint" id="own-data-hint">
            One JSON file with your profile, contributions, votes, rewards, payments and API keys (names and prefixes only, never the keys). The download is recorded.
          </p>
          <a className="button button-secondary" href="/api/v1/me/export" download aria-describedby="own-data-hint" data-testid="download-my-data">
            Download my data
          </a>
        </div>
      </section>
    </>
  );
}

function DashboardSkeleton() {
  return (
    <div aria-busy="true">
      <p className="visually-hidden">Loading your figures…</p>
      <div className="cards">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="card skeleton" style={{ height: "6rem" }} />
        ))}
      </div>
      <div className="grid">
        <div className="card skeleton" style={{ height: "13rem" }} />
        <div className="card skeleton" style={{ height: "13rem" }} />
      </div>
    </div>
  );
}

async function DashboardFigures({ user }: { user: SessionUser }) {
  const [stats, weeks, quality, recent, usage, plan, earnings] = await withPageReads(() => Promise.all([
    getUserStats(user.address),
    weeklyContributions(user.userId),
    qualityDistribution(user.userId),
    listContributions({ owner: user.address, limit: 5 }, async () => user),
    apiUsage(user.userId),
    currentPlan(getDb(), user.userId),
    apiEarnings(user.userId),
  ]));
  const c = stats.contributions;
  return (
    <>
      <div className="cards">
        <StatCard label="Contributions" value={c.total} testId="card-total" />
        <StatCard label="Verified" value={c.verified} testId="card-verified" />
        <StatCard label="Rejected" value={c.rejected} testId="card-rejected" />
        <StatCard label="Awaiting a decision" value={c.pending} testId="card-open" hint={OPEN_STATUSES.join(", ")} />
        <StatCard label="Average quality" value={stats.average_quality ?? "—"} testId="card-quality" />
        <StatCard label="Reputation" value={stats.reputation} testId="card-reputation" />
        <StatCard label="Pending rewards" value={`${tokens(stats.rewards.pending)} NWU`} testId="card-rewards-pending" />
        <StatCard label="Distributed rewards" value={`${tokens(stats.rewards.distributed)} NWU`} testId="card-rewards-distributed" />
      </div>
      <div className="grid">
        <section className="card" aria-labelledby="weekly-title">
          <h2 id="weekly-title">Contributions per week</h2>
          <StackedBarChart
            title="Contributions per week by status, last 26 weeks"
            labels={weeks.map((w) => w.week)}
            tickLabel={shortDay}
            xTitle="Week starting"
            yTitle="Contributions"
            series={STATUS_SERIES}
            values={weeks.map((w) => w.counts)}
          />
        </section>
        <section className="card" aria-labelledby="quality-title">
          <h2 id="quality-title">Quality scores</h2>
          <StackedBarChart
            title="Quality score distribution (0–9 … 90–100)"
            labels={quality.map((_, i) => `${i * 10}–${i === quality.length - 1 ? 100 : i * 10 + 9}`)}
            xTitle="Quality score"
            yTitle="Contributions"
            series={[{ key: "n", label: "contributions", color: "#6366f1" }]}
            values={quality.map((n) => ({ n }))}
          />
        </section>
      </div>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title" className="section-title">
          Recent contributions
        </h2>
        {recent.items.length === 0 ? (
          <p className="card">
            Nothing yet. <Link href="/upload">Upload your first contribution</Link>.
          </p>
        ) : (
          <ContributionTable items={recent.items} live />
        )}
      </section>
      <ApiEarnings total={stats.rewards.api_use} items={earnings} />
      <section aria-labelledby="api-title">
        <h2 id="api-title" className="section-title">
          API usage ({PLANS[plan].name} plan)
        </h2>
        <div className="cards">
          <StatCard label="Requests today" value={usage.today} testId="api-today" />
          <StatCard label="Requests this month" value={usage.month} testId="api-month" />
          <StatCard label="Daily quota per key" value={PLANS[plan].daily.toLocaleString("en-US")} testId="api-quota" />
        </div>
        <StackedBarChart
          title="API requests per day, last 30 days"
          labels={usage.days.map((d) => d.date)}
          tickLabel={shortDay}
          xTitle="Day"
          yTitle="Requests"
          series={[{ key: "n", label: "requests", color: "#0ea5e9" }]}
          values={usage.days.map((d) => ({ n: d.requests }))}
        />
        <p>
          <Link href="/settings/api-keys">Manage API keys</Link> · <Link href="/billing">Billing</Link>
        </p>
      </section>
    </>
  );
}
