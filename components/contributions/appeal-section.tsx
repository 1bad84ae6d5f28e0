import { TitledSection } from "@/components/titled-section";
import { formatDateTime } from "@/lib/format";
import type { PublicAppeal } from "@/lib/verification/decision";

import { AppealForm } from "./appeal-form";

const OUTCOME: Record<PublicAppeal["status"], string> = {
  open: "Under appeal: a fresh panel of verifiers is reviewing it; their votes are sealed until they decide.",
  overturned: "Appeal overturned the rejection: the panel verified it.",
  upheld: "Appeal upheld the rejection: final.",
};

/** The appeal, if any (status, statement, first-round score), and the owner's form while one may be filed. */
export function AppealSection({ appeal, appealable, contributionId, owner, maxLength }: { appeal: PublicAppeal | null; appealable: { until: Date } | null; contributionId: string; owner: string; maxLength: number }) {
  if (!appeal && !appealable) return null;
  return (
    <TitledSection id="appeal-title" title="Appeal">
      {appeal ? (
        <div className="card" data-testid="appeal">
          <p>
            <strong data-testid="appeal-status">{OUTCOME[appeal.status]}</strong>
          </p>
          <p>
            Appealed {formatDateTime(new Date(appeal.created_at))}
            {appeal.first_score !== null ? ` against a first-round score of ${appeal.first_score}` : ""}
            {appeal.decided_at ? `; decided ${formatDateTime(new Date(appeal.decided_at))}` : ""}.
          </p>
          <blockquote className="description" data-testid="appeal-statement">
            {appeal.statement}
          </blockquote>
        </div>
      ) : (
        <AppealForm contributionId={contributionId} owner={owner} until={appealable!.until.toISOString()} maxLength={maxLength} />
      )}
    </TitledSection>
  );
}
