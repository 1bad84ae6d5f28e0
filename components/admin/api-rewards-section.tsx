import { StatCard } from "@/components/stat-card";
import { TitledSection } from "@/components/titled-section";
import type { apiMetrics, rewardMetrics } from "@/lib/admin/metrics";
import { checksum } from "@/lib/checksum";

const nwu = (n: number) => `${n.toLocaleString("en-US", { maximumFractionDigits: 2 })} NWU`;

export function ApiRewardsSection({ api, rewards }: { api: Awaited<ReturnType<typeof apiMetrics>>; rewards: Awaited<ReturnType<typeof rewardMetrics>> }) {
  return (
    <TitledSection id="api-admin-title" title="API and rewards">
      <div className="cards">
        <StatCard heading="h3" label="API calls today" value={api.today} testId="admin-api-today" />
        <StatCard heading="h3" label="API calls this month" value={api.month} testId="admin-api-month" />
        <StatCard heading="h3" label="Rewards pending" value={nwu(rewards.pending)} testId="admin-rewards-pending" />
        <StatCard heading="h3" label="Rewards distributed" value={nwu(rewards.distributed)} testId="admin-rewards-distributed" />
      </div>
      {api.top.length ? (
        <ol data-testid="top-consumers">
          {api.top.map((t) => (
            <li key={t.address} className="mono">
              {checksum(t.address)}: {t.requests.toLocaleString("en-US")}
            </li>
          ))}
        </ol>
      ) : null}
    </TitledSection>
  );
}
