import { actingUserId, apiRoute } from "@/lib/api/principal";
import { ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { readJson } from "@/lib/http/route";
import { decodeCursor } from "@/lib/pagination";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { toApiEndpoint, webhookBody, webhookListQuery } from "@/lib/webhooks/schemas";

export const dynamic = "force-dynamic";

/** Your webhook endpoints, newest first. */
export const GET = apiRoute({ scope: "webhooks:manage", allow: "session" }, async (request, _ctx, principal) => {
  const query = parseQuery(webhookListQuery, new URL(request.url).searchParams);
  const page = await listEndpoints(actingUserId(principal), { limit: query.limit, cursor: decodeCursor(query.cursor) });
  return Response.json({ items: page.items.map(toApiEndpoint), next_cursor: page.nextCursor });
});

/** Registers an endpoint (paid plans; `platform` for admins): 201 with its secret, shown this once. */
export const POST = apiRoute({ scope: "webhooks:manage", allow: "session" }, async (request, _ctx, principal) => {
  const parsed = webhookBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid webhook endpoint", fieldErrorsFrom(parsed.error.issues));
  const { endpoint, secret } = await createEndpoint({ userId: actingUserId(principal), ...parsed.data });
  return Response.json({ ...toApiEndpoint(endpoint), secret }, { status: 201, headers: { Location: `/api/v1/webhooks/${endpoint.id}` } });
});
