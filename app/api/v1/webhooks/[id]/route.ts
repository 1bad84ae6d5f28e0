import { actingUserId, apiRoute } from "@/lib/api/principal";
import { deleteEndpoint, getEndpoint } from "@/lib/webhooks/endpoints";
import { endpointIdOf, type EndpointCtx } from "@/lib/webhooks/params";
import { toApiEndpoint } from "@/lib/webhooks/schemas";

export const dynamic = "force-dynamic";

/** One of your endpoints. */
export const GET = apiRoute<EndpointCtx>({ scope: "webhooks:manage", allow: "session" }, async (_request, ctx, principal) =>
  Response.json(toApiEndpoint(await getEndpoint(actingUserId(principal), await endpointIdOf(ctx)))),
);

/** Deletes the endpoint and its delivery log (204). */
export const DELETE = apiRoute<EndpointCtx>({ scope: "webhooks:manage", allow: "session" }, async (_request, ctx, principal) => {
  await deleteEndpoint(actingUserId(principal), await endpointIdOf(ctx));
  return new Response(null, { status: 204 });
});
