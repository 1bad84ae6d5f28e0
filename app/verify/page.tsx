import type { Metadata } from "next";
import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { ClaimButton, SkipButton } from "@/components/verify/assignment-controls";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";
import { formatDateTime } from "@/lib/format";
import { liveAssignments } from "@/lib/verification/assignments";
import { voterStanding } from "@/lib/verification/queries";
import { CALIBRATION_MIN_SEEN, CALIBRATION_WINDOW, type CalibrationRecord } from "@/lib/verification/weights";
import { TableWrap } from "@/components/table-wrap";

export const metadata: Metadata = { title: "Verify", description: "Review contributions assigned to you as a verifier on NWU Protocol." };

/** Their record on calibration items (known answers, scored daily): what feeds their weight besides agreement. */
function CalibrationStanding({ record, floor }: { record: CalibrationRecord; floor: number }) {
  const below = record.seen >= CALIBRATION_MIN_SEEN && record.recentAgreement < floor;
  return (
    <p data-testid="calibration-standing" role={below ? "alert" : undefined}>
      Calibration: {record.seen} item{record.seen === 1 ? "" : "s"} with a known answer scored; verdict agreement {Math.round(record.recentAgreement * 100)} % on the last{" "}
      {CALIBRATION_WINDOW}, mean error {Math.round(record.meanAbsoluteError * 10) / 10} points.
      {below ? ` Below ${Math.round(floor * 100)} %, your votes weigh 0 until it recovers.` : ""}
    </p>
  );
}

export default async function VerifyPage() {
  const user = await pageUser("verifier");
  const [held, standing] = await Promise.all([liveAssignments(user.userId), voterStanding(user.userId)]);
  const { ASSIGNMENT_MINUTES, MAX_OPEN_ASSIGNMENTS, CALIBRATION_FLOOR } = getEnv();
  return (
    <>
      <h1>Your assignments</h1>
      <p>
        Reviews are assigned at random among open contributions that still need reviewers — never your own. Each is yours for {ASSIGNMENT_MINUTES} minutes;
        you hold at most {MAX_OPEN_ASSIGNMENTS}. Votes stay sealed until the contribution is decided.
      </p>
      {standing ? (
        <p data-testid="voter-standing">
          Your vote weight: <strong>{standing.weight}</strong>
          {standing.agreement === null
            ? " (new verifiers start at 1; it moves with how close your votes come to the final scores)."
            : ` — agreement with final scores ${Math.round(standing.agreement * 100)} % over ${standing.scoredVotes} decided vote${standing.scoredVotes === 1 ? "" : "s"}.`}
        </p>
      ) : null}
      {standing?.calibration ? <CalibrationStanding record={standing.calibration} floor={CALIBRATION_FLOOR} /> : null}
      <ClaimButton />
      {held.length === 0 ? (
        <p className="card" data-testid="verify-empty">
          You hold no assignment.
        </p>
      ) : (
        <TableWrap label="Assigned reviews">
          <table className="table" data-testid="assignments">
            <ColumnHeads names={["Title", "Type", "Yours until", "Action"]} />
            <tbody>
              {held.map((a) => (
                <tr key={a.id} data-contribution={a.contributionId}>
                  <td>
                    <Link href={`/verify/${a.contributionId}`}>{a.title}</Link>
                  </td>
                  <td>{a.fileType}</td>
                  <td>{formatDateTime(a.expiresAt)}</td>
                  <td>
                    <SkipButton assignmentId={a.id} title={a.title} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
