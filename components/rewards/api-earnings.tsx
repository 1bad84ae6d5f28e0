import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { TableWrap } from "@/components/table-wrap";
import type { ApiEarning } from "@/lib/revenue/earnings";

/** "Earned from API use": the total, then per contribution what it earned and this month's paid API reads. */
export function ApiEarnings({ total, items }: { total: number; items: ApiEarning[] }) {
  return (
    <section aria-labelledby="api-earnings-title">
      <h2 id="api-earnings-title" className="section-title">
        Earned from API use
      </h2>
      <p className="card">
        <span className="stat" data-testid="card-api-earnings">
          {total.toLocaleString("en-US", { maximumFractionDigits: 6 })} NWU
        </span>
        <br />
        <small className="muted">Each month, a share of paid API revenue goes to the owners of the verified contributions API customers read, by their reads.</small>
      </p>
      {items.length === 0 ? null : (
        <TableWrap label="Earned from API use, per contribution">
          <table className="table" data-testid="api-earnings-table">
            <ColumnHeads names={["Contribution", "Earned", "API reads this month"]} />
            <tbody>
              {items.map((e) => (
                <tr key={e.contributionId} data-testid="api-earning-row">
                  <td>
                    <Link href={`/contributions/${e.contributionId}`}>{e.title}</Link>
                  </td>
                  <td>{e.earned} NWU</td>
                  <td>{e.readsThisMonth.toLocaleString("en-US")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
