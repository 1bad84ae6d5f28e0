import { ColumnHeads } from "@/components/column-heads";
import { TableWrap } from "@/components/table-wrap";
import { TitledSection } from "@/components/titled-section";
import { checksum } from "@/lib/checksum";
import { ADMIN_DATASETS } from "@/lib/exports/datasets";
import type { ExportAuditEntry } from "@/lib/exports/audit";
import { formatDateTime, shortHash } from "@/lib/format";

import { ExportForm } from "./export-form";

const filtersText = (f: ExportAuditEntry["filters"]) =>
  [f.from ? `from ${f.from.slice(0, 10)}` : null, f.to ? `before ${f.to.slice(0, 10)}` : null, f.status ? `status ${f.status}` : null].filter(Boolean).join(", ") || "all rows";

/** Exports: the form that makes a download, and the latest exports from the audit log (who, what, when). */
export function ExportsSection({ recent }: { recent: ExportAuditEntry[] }) {
  const datasets = ADMIN_DATASETS.map((d) => ({ name: d.name, label: d.label, statuses: d.statuses }));
  return (
    <TitledSection id="exports-title" title="Exports">
      <ExportForm datasets={datasets} />
      <h3 id="recent-exports-title">Recent exports</h3>
      {recent.length === 0 ? (
        <p className="card" data-testid="exports-empty">
          No export yet.
        </p>
      ) : (
        <TableWrap label="Recent exports">
          <table className="table" data-testid="recent-exports" aria-labelledby="recent-exports-title">
            <ColumnHeads names={["When", "Who", "Dataset", "Format", "Filters", "Rows"]} />
            <tbody>
              {recent.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td className="mono" title={e.actor ? checksum(e.actor) : undefined}>
                    {e.actor ? shortHash(checksum(e.actor), 8, 6) : "—"}
                  </td>
                  <td>{e.dataset}</td>
                  <td>{e.format.toUpperCase()}</td>
                  <td className="wrap">{filtersText(e.filters)}</td>
                  <td>{e.rows === null ? "—" : e.completed ? e.rows.toLocaleString("en-US") : `${e.rows.toLocaleString("en-US")} (cut short)`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </TitledSection>
  );
}
