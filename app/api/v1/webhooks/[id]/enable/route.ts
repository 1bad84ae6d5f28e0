import { actingUserId, apiRoute } from "@/lib/api/principal";
import { enableEndpoint } from "@/lib/webhooks/endpoints";
import { endpointIdOf, type EndpointCtx } from "@/lib/webhooks/params";
import { toApiEndpoint } from "@/lib/webhooks/schemas";

export const dynamic = "force-dynamic";

/** Switches a disabled endpoint back on: what waited in the outbox (up to 72 h) is delivered, in order. */
export const POST = apiRoute<EndpointCtx>({ scope: "webhooks:manage", allow: "session" }, async (_request, ctx, principal) =>
  Response.json(toApiEndpoint(await enableEndpoint(actingUserId(principal), await endpointIdOf(ctx)))),
);
