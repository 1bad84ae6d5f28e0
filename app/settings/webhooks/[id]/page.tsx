import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";

import { ColumnHeads } from "@/components/column-heads";
import { TableWrap } from "@/components/table-wrap";
import { ResendButton } from "@/components/webhooks/endpoint-actions";
import { pageUser } from "@/lib/auth/page-guards";
import { NotFoundError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { pageCursor, type SearchParams } from "@/lib/http/search-params";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhook deliveries" };

const PAGE = 50;
const STATUS_BADGE = { succeeded: "badge badge-ok", pending: "badge badge-warn", failed: "badge badge-danger", expired: "badge" } as const;

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export default async function WebhookDeliveriesPage({ params, searchParams }: Props) {
  const user = await pageUser();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const cursor = pageCursor(await searchParams);
  const found = await Promise.all([getEndpoint(user.userId, id.data), listDeliveries(user.userId, id.data, { limit: PAGE, cursor })]).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [endpoint, deliveries] = found;
  return (
    <>
      <p>
        <Link href="/settings/webhooks">← Webhooks</Link>
      </p>
      <h1>Deliveries</h1>
      <p className="webhook-url mono">{endpoint.url}</p>
      {deliveries.items.length === 0 ? (
        <p className="card">Nothing delivered yet: events you chose appear here as they happen.</p>
      ) : (
        <TableWrap label="Webhook deliveries">
          <table className="table" data-testid="deliveries-table">
            <ColumnHeads names={["Event", "Status", "Answer", "Latency", "Attempts", "Last attempt", ""]} />
            <tbody>
              {deliveries.items.map((d) => (
                <tr key={d.id} data-testid="delivery-row">
                  <td>
                    <code>{d.eventType}</code>
                    <div className="muted mono">{d.eventId}</div>
                  </td>
                  <td>
                    <span className={STATUS_BADGE[d.status]}>{d.status}</span>
                    {d.nextAttemptAt ? <div className="muted">next {formatDateTime(d.nextAttemptAt)}</div> : null}
                  </td>
                  <td>
                    {d.responseStatus ?? "—"}
                    {d.error ? <div className="error-text break-all">{d.error}</div> : null}
                  </td>
                  <td>{d.latencyMs === null ? "—" : `${d.latencyMs} ms`}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : "—"}</td>
                  <td>
                    <ResendButton endpointId={endpoint.id} deliveryId={d.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {deliveries.nextCursor ? (
        <p>
          <Link href={`/settings/webhooks/${endpoint.id}?cursor=${encodeURIComponent(deliveries.nextCursor)}`}>Older deliveries →</Link>
        </p>
      ) : null}
    </>
  );
}
