import { CloseMonthButton } from "@/components/admin/close-month-button";
import { ColumnHeads } from "@/components/column-heads";
import { TableWrap } from "@/components/table-wrap";
import { TitledSection } from "@/components/titled-section";
import { formatMonth as monthName, formatUsd as usd } from "@/lib/format";
import type { ClosedMonth } from "@/lib/revenue/overview";

/** Wei as NWU, exactly (18 decimals, trailing zeros dropped). */
function nwu(wei: string): string {
  const negative = wei.startsWith("-");
  const digits = (negative ? wei.slice(1) : wei).padStart(19, "0");
  const whole = BigInt(digits.slice(0, -18)).toLocaleString("en-US");
  const fraction = digits.slice(-18).replace(/0+$/, "");
  return `${negative ? "−" : ""}${whole}${fraction ? `.${fraction}` : ""} NWU`;
}

/** Closed months of API revenue share and the next one to close (the monthly job closes each an hour after it ends). */
export function RevenueShareSection({ months, next, current, percent }: { months: ClosedMonth[]; next: string | null; current: string; percent: number }) {
  return (
    <TitledSection id="revenue-share-title" title="Revenue share">
      <p>
        {percent}% of each month&apos;s net API revenue goes to the owners of the verified contributions paid API keys read, in proportion to their reads. A month closes by itself an hour after it ends.
      </p>
      <CloseMonthButton period={next?.slice(0, 7) ?? null} label={monthName(next ?? current)} />
      {months.length === 0 ? (
        <p className="card">No month closed yet.</p>
      ) : (
        <TableWrap label="Closed months">
          <table className="table" data-testid="revenue-share-table">
            <ColumnHeads names={["Month", "Revenue", "Refunds", "Pool", "Allocated", "Carried on", "Reads", "Rewards"]} />
            <tbody>
              {months.map((m) => (
                <tr key={m.period} data-testid="revenue-share-row" data-period={m.period}>
                  <td>{monthName(m.period)}</td>
                  <td>{usd(m.revenueCents)}</td>
                  <td>{usd(m.refundsCents)}</td>
                  <td>{nwu(m.poolWei)}</td>
                  <td>{nwu(m.allocatedWei)}</td>
                  <td>{nwu(m.carriedOutWei)}</td>
                  <td>{m.eligibleReads.toLocaleString("en-US")}</td>
                  <td>{m.rewards}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </TitledSection>
  );
}
