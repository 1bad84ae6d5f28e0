import { z } from "zod";

import { NotFoundError } from "@/lib/errors";

export type EndpointCtx = { params: Promise<{ id: string }> };
export type DeliveryCtx = { params: Promise<{ id: string; deliveryId: string }> };

const uuid = z.uuid();

/** A malformed id names no endpoint: 404, as an unknown one. */
export async function endpointIdOf(ctx: EndpointCtx): Promise<string> {
  const id = uuid.safeParse((await ctx.params).id);
  if (!id.success) throw new NotFoundError("No webhook endpoint with this id");
  return id.data;
}

export async function deliveryIdsOf(ctx: DeliveryCtx): Promise<{ endpointId: string; deliveryId: string }> {
  const params = await ctx.params;
  const endpointId = await endpointIdOf(ctx);
  const deliveryId = uuid.safeParse(params.deliveryId);
  if (!deliveryId.success) throw new NotFoundError("No delivery with this id for this endpoint");
  return { endpointId, deliveryId: deliveryId.data };
}
