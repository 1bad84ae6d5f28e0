"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { WEBHOOK_EVENT_TYPES } from "@/db/vocabulary";
import { validatedAction } from "@/lib/actions/validated-action";

import { resendDelivery } from "./deliveries";
import { createEndpoint, deleteEndpoint, enableEndpoint, rotateSecret } from "./endpoints";
import { webhookBody } from "./schemas";

const SETTINGS = "/settings/webhooks";
const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : v);

const createForm = z.object({
  url: webhookBody.shape.url,
  events: z.preprocess(list, z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "Choose at least one event")),
  platform: z.preprocess((v) => v === "on" || v === true, z.boolean()).optional(),
});
const endpointRef = z.object({ id: z.uuid() });

/** Registers an endpoint; its secret is in this answer only. */
export const createWebhookAction = validatedAction(createForm, {}, async (input, { user }) => {
  const { endpoint, secret } = await createEndpoint({ userId: user.userId, ...input });
  revalidatePath(SETTINGS);
  return { id: endpoint.id, secret };
});

export const deleteWebhookAction = validatedAction(endpointRef, {}, async ({ id }, { user }) => {
  await deleteEndpoint(user.userId, id);
  revalidatePath(SETTINGS);
  return { deleted: true };
});

/** A new secret, shown once; the old one keeps signing for 24 h. */
export const rotateWebhookAction = validatedAction(endpointRef, {}, async ({ id }, { user }) => {
  const { secret } = await rotateSecret(user.userId, id);
  revalidatePath(SETTINGS);
  return { secret };
});

export const enableWebhookAction = validatedAction(endpointRef, {}, async ({ id }, { user }) => {
  await enableEndpoint(user.userId, id);
  revalidatePath(SETTINGS);
  return { enabled: true };
});

export const resendDeliveryAction = validatedAction(z.object({ endpointId: z.uuid(), deliveryId: z.uuid() }), {}, async ({ endpointId, deliveryId }, { user }) => {
  await resendDelivery(user.userId, endpointId, deliveryId);
  revalidatePath(`${SETTINGS}/${endpointId}`);
  return { queued: true };
});
