import { actingUserId, apiRoute } from "@/lib/api/principal";
import { resendDelivery } from "@/lib/webhooks/deliveries";
import { deliveryIdsOf, type DeliveryCtx } from "@/lib/webhooks/params";

export const dynamic = "force-dynamic";

/** "Send again": the delivery goes out once more, now, with the same webhook-id (202). */
export const POST = apiRoute<DeliveryCtx>({ scope: "webhooks:manage", allow: "session" }, async (_request, ctx, principal) => {
  const { endpointId, deliveryId } = await deliveryIdsOf(ctx);
  await resendDelivery(actingUserId(principal), endpointId, deliveryId);
  return new Response(null, { status: 202 });
});
