import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { TitledSection } from "@/components/titled-section";
import { formatDateTime } from "@/lib/format";
import type { OpenAppeal } from "@/lib/verification/appeals";
import { TableWrap } from "@/components/table-wrap";

/** Open appeals and their panels; one with seats left and too few eligible verifiers waits for a panel. */
export function AppealsSection({ appeals, quorum }: { appeals: OpenAppeal[]; quorum: number }) {
  const waiting = appeals.filter((a) => a.seatsLeft > 0 && a.eligible < a.seatsLeft);
  return (
    <TitledSection id="appeals-title" title="Appeals">
      {waiting.length ? (
        <p className="card" role="alert" data-testid="appeals-awaiting">
          {waiting.length} appeal{waiting.length === 1 ? " is" : "s are"} awaiting a panel: not enough verifiers who did not vote in the first round (grant the verifier
          role to more people).
        </p>
      ) : null}
      {appeals.length === 0 ? (
        <p className="card" data-testid="appeals-empty">
          No open appeal.
        </p>
      ) : (
        <TableWrap label="Open appeals">
          <table className="table" data-testid="appeals">
            <caption>Open appeals, oldest first: each needs a fresh panel of {quorum}</caption>
            <ColumnHeads names={["Contribution", "Appealed", "Panel votes", "Assigned now", "Panel"]} />
            <tbody>
              {appeals.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/contributions/${a.contributionId}`}>{a.title}</Link>
                  </td>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>{a.panelVotes}</td>
                  <td>{a.panelAssigned}</td>
                  <td data-testid="appeal-panel">{a.seatsLeft === 0 ? "seated" : a.eligible < a.seatsLeft ? `awaiting a panel (${a.eligible} of ${a.seatsLeft} eligible)` : `${a.seatsLeft} seat(s) to fill`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </TitledSection>
  );
}
