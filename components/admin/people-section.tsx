import { StatCard } from "@/components/stat-card";
import { TitledSection } from "@/components/titled-section";
import type { userMetrics } from "@/lib/admin/metrics";

export function PeopleSection({ people }: { people: Awaited<ReturnType<typeof userMetrics>> }) {
  return (
    <TitledSection id="people-title" title="People">
      <div className="cards">
        <StatCard heading="h3" label="Total" value={people.total} testId="admin-users-total" />
        <StatCard heading="h3" label="Active in 30 days" value={people.active30} testId="admin-users-active" />
        <StatCard heading="h3" label="New this week" value={people.newWeek} testId="admin-users-new" />
      </div>
    </TitledSection>
  );
}
