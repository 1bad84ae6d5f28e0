import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { formatDateTime } from "@/lib/format";
import { listUnappliedStripeEvents } from "@/lib/payments/events";
import { TableWrap } from "@/components/table-wrap";

const PAGE_SIZE = 20;

/**
 * Stripe events acknowledged but not applied: for a customer or payment this app does not know
 * (unmatched), or malformed or of a type it does not act on (ignored, with the reason). Paged by
 * `stripe_events_cursor`, newest first.
 */
export async function UnappliedStripeEvents({ cursor }: { cursor?: string }) {
  const page = await listUnappliedStripeEvents({ cursor: cursor?.slice(0, 255), limit: PAGE_SIZE });
  return (
    <section aria-labelledby="stripe-events-title">
      <h2 id="stripe-events-title" className="section-title">
        Stripe events not applied
      </h2>
      {page.items.length ? (
        <TableWrap label="Unapplied Stripe events">
          <table className="table" data-testid="stripe-events">
            <caption>Acknowledged to Stripe without changing anything, newest first</caption>
            <ColumnHeads names={["Received", "Status", "Type", "Object", "Customer", "Reason"]} />
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id} data-event-id={e.id} data-status={e.status}>
                  <td>{formatDateTime(e.receivedAt)}</td>
                  <td>{e.status}</td>
                  <td className="mono">{e.type}</td>
                  <td className="mono">{e.objectId ?? "—"}</td>
                  <td className="mono">{e.customerId ?? "—"}</td>
                  <td>{e.reason ?? (e.status === "unmatched" ? "not one of our customers or payments" : "")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p className="card">{cursor ? "No older Stripe events." : "Every Stripe event received was applied."}</p>
      )}
      {page.nextCursor ? (
        <Link className="button button-secondary" href={`/admin?${new URLSearchParams({ stripe_events_cursor: page.nextCursor })}`}>
          Older Stripe events
        </Link>
      ) : null}
    </section>
  );
}
