import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { TitledSection } from "@/components/titled-section";
import { shortHash } from "@/lib/format";
import type { CalibrationItemRow, CalibrationRecordRow } from "@/lib/verification/calibration";
import { TableWrap } from "@/components/table-wrap";

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** Calibration items and each verifier's record against them; an alert for those whose weight the floor forces to 0. */
export function CalibrationSection({ items, records, floor, votesWanted }: { items: CalibrationItemRow[]; records: CalibrationRecordRow[]; floor: number; votesWanted: number }) {
  const below = records.filter((r) => r.belowFloor);
  return (
    <TitledSection id="calibration-title" title="Calibration">
      {below.length ? (
        <div className="card" role="alert" data-testid="calibration-alert">
          {below.length} verifier{below.length === 1 ? "" : "s"} below the calibration floor ({percent(floor)} verdict agreement on the last 10 items): weight 0 until it
          recovers — <span className="mono">{below.map((r) => shortHash(r.address, 6, 4)).join(", ")}</span>
        </div>
      ) : null}
      {records.length ? (
        <TableWrap label="Calibration records">
          <table className="table" data-testid="calibration-records">
            <caption>Verifiers&apos; calibration records (scored daily), lowest agreement first</caption>
            <ColumnHeads names={["Verifier", "Items seen", "Verdict agreement (last 10)", "Mean abs. error", "Weight"]} />
            <tbody>
              {records.map((r) => (
                <tr key={r.address} className={r.belowFloor ? "row-alert" : undefined}>
                  <td className="mono" title={r.address}>
                    {shortHash(r.address, 6, 4)}
                  </td>
                  <td>{r.seen}</td>
                  <td>{percent(r.agreement)}</td>
                  <td>{r.meanAbsoluteError}</td>
                  <td>{r.weight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p className="card" data-testid="calibration-records-empty">
          No calibration vote scored yet (the batch runs daily on votes at least a day old).
        </p>
      )}
      {items.length ? (
        <TableWrap label="Calibration items">
          <table className="table" data-testid="calibration-items">
            <caption>Calibration items (assigned until {votesWanted} votes; never listed, never decided, never paid)</caption>
            <ColumnHeads names={["Item", "Known verdict", "Score range", "Votes", "Scored"]} />
            <tbody>
              {items.map((i) => (
                <tr key={i.contributionId}>
                  <td>
                    <Link href={`/contributions/${i.contributionId}`}>{i.title}</Link>
                  </td>
                  <td>{i.knownVerdict}</td>
                  <td>
                    {i.scoreMin}–{i.scoreMax}
                  </td>
                  <td>
                    {i.votes} / {votesWanted}
                  </td>
                  <td>{i.scored}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p className="card" data-testid="calibration-items-empty">
          No calibration item: mark one from an open contribution&apos;s page.
        </p>
      )}
    </TitledSection>
  );
}
