import { ColumnHeads } from "@/components/column-heads";
import { TitledSection } from "@/components/titled-section";
import { shortHash } from "@/lib/format";
import type { FlaggedPair } from "@/lib/verification/conflicts";
import { TableWrap } from "@/components/table-wrap";

/** Flagged pairs (reciprocal high revealed votes) and the rings they form; never assigned each other's work. */
export function ConflictsSection({ pairs, rings }: { pairs: FlaggedPair[]; rings: string[][] }) {
  return (
    <TitledSection id="conflicts-title" title="Conflicts of interest">
      {pairs.length === 0 ? (
        <p className="card" data-testid="conflicts-empty">
          No pair of verifiers has exchanged high votes.
        </p>
      ) : (
        <TableWrap label="Flagged verifier pairs">
          <table className="table" data-testid="conflict-pairs">
            <caption>People who gave each other&apos;s decided work high votes: they are not assigned each other&apos;s work</caption>
            <ColumnHeads names={["Person A", "Person B", "A → B high votes (mean)", "B → A high votes (mean)"]} />
            <tbody>
              {pairs.map((p) => (
                <tr key={`${p.a}-${p.b}`}>
                  <td className="mono" title={p.a}>{shortHash(p.a, 6, 4)}</td>
                  <td className="mono" title={p.b}>{shortHash(p.b, 6, 4)}</td>
                  <td>
                    {p.aToB} ({p.meanAToB})
                  </td>
                  <td>
                    {p.bToA} ({p.meanBToA})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {rings.length ? (
        <ul data-testid="conflict-rings">
          {rings.map((ring) => (
            <li key={ring.join()}>
              Ring of {ring.length}: <span className="mono">{ring.map((a) => shortHash(a, 6, 4)).join(", ")}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </TitledSection>
  );
}
