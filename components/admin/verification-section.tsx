import { RequeueButton } from "@/components/admin/requeue-button";
import { ColumnHeads } from "@/components/column-heads";
import { StatCard } from "@/components/stat-card";
import { TitledSection } from "@/components/titled-section";
import { CONTRIBUTION_STATUSES } from "@/db/vocabulary";
import type { verificationMetrics } from "@/lib/admin/metrics";
import { TableWrap } from "@/components/table-wrap";

type VerificationMetrics = Awaited<ReturnType<typeof verificationMetrics>>;

export function VerificationSection({ verification }: { verification: VerificationMetrics }) {
  return (
    <TitledSection id="verification-title" title="Verification">
      <div className="cards">
        {CONTRIBUTION_STATUSES.map((s) => (
          <StatCard heading="h3" key={s} label={s} value={verification.byStatus[s] ?? 0} testId={`admin-status-${s}`} />
        ))}
        <StatCard heading="h3" label="Oldest open (minutes)" value={Math.round(verification.queueAgeSeconds / 60)} testId="admin-queue-age" />
      </div>
      {verification.deadJobs.length ? <DeadJobsTable jobs={verification.deadJobs} /> : <p className="card">No dead jobs.</p>}
    </TitledSection>
  );
}

function DeadJobsTable({ jobs }: { jobs: VerificationMetrics["deadJobs"] }) {
  return (
    <TableWrap label="Failed jobs">
      <table className="table" data-testid="dead-jobs">
        <caption>Dead jobs</caption>
        <ColumnHeads names={["Kind", "Attempts", "Last error", "Action"]} />
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>{j.kind}</td>
              <td>{j.attempts}</td>
              <td>{j.last_error}</td>
              <td>
                <RequeueButton id={j.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
