import { actingUserId, apiRoute } from "@/lib/api/principal";
import { rotateSecret } from "@/lib/webhooks/endpoints";
import { endpointIdOf, type EndpointCtx } from "@/lib/webhooks/params";
import { toApiEndpoint } from "@/lib/webhooks/schemas";

export const dynamic = "force-dynamic";

/** A new signing secret, shown once; the old one keeps signing (beside it) for 24 h. */
export const POST = apiRoute<EndpointCtx>({ scope: "webhooks:manage", allow: "session" }, async (_request, ctx, principal) => {
  const { endpoint, secret } = await rotateSecret(actingUserId(principal), await endpointIdOf(ctx));
  return Response.json({ ...toApiEndpoint(endpoint), secret });
});
