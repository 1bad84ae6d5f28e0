import { actingUserId, apiRoute } from "@/lib/api/principal";
import { parseQuery } from "@/lib/http/query";
import { decodeCursor } from "@/lib/pagination";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { endpointIdOf, type EndpointCtx } from "@/lib/webhooks/params";
import { deliveryListQuery, toApiDelivery } from "@/lib/webhooks/schemas";

export const dynamic = "force-dynamic";

/** The endpoint's delivery log, newest first: status, response code, latency, attempts. */
export const GET = apiRoute<EndpointCtx>({ scope: "webhooks:manage", allow: "session" }, async (request, ctx, principal) => {
  const query = parseQuery(deliveryListQuery, new URL(request.url).searchParams);
  const page = await listDeliveries(actingUserId(principal), await endpointIdOf(ctx), { limit: query.limit, cursor: decodeCursor(query.cursor), status: query.status });
  return Response.json({ items: page.items.map(toApiDelivery), next_cursor: page.nextCursor });
});
