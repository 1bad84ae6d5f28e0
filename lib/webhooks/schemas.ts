import { z } from "zod";

import { EVENT_TYPES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX } from "@/db/vocabulary";
import { limitSchema } from "@/lib/pagination";

import type { PublicDelivery } from "./deliveries";
import type { PublicEndpoint } from "./endpoints";

/** Body of POST /api/v1/webhooks. */
export const webhookBody = z.strictObject({
  url: z.string().min(1).max(WEBHOOK_URL_MAX).describe("Where deliveries are POSTed: https (http and private addresses only with WEBHOOK_ALLOW_PRIVATE=on)"),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "Choose at least one event").max(WEBHOOK_EVENT_TYPES.length * 2),
  platform: z.boolean().optional().describe("Admins only: every user's events, not only your own"),
});

export const webhookListQuery = z.object({ cursor: z.string().max(200).optional(), limit: limitSchema });
export const deliveryListQuery = webhookListQuery.extend({ status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional() });

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  platform: z.boolean(),
  status: z.enum(["active", "paused", "disabled"]).describe("paused: the owner is on the free plan (resumes on upgrade); disabled: switched off after 24 h of failures, or by its owner"),
  disabled_reason: z.string().nullable(),
  failing_since: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export const createdWebhookSchema = webhookEndpointSchema.extend({
  secret: z.string().describe("whsec_…: shown once; verify deliveries with it (Standard Webhooks)"),
});

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  event_id: z.uuid().describe("The webhook-id header: the same on every attempt"),
  event_type: z.enum(EVENT_TYPES),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  response_status: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  error: z.string().nullable(),
  created_at: z.iso.datetime(),
  last_attempt_at: z.iso.datetime().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  delivered_at: z.iso.datetime().nullable(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toApiEndpoint = (e: PublicEndpoint): z.infer<typeof webhookEndpointSchema> => ({
  id: e.id,
  url: e.url,
  events: e.events,
  platform: e.platform,
  status: e.status,
  disabled_reason: e.disabledReason,
  failing_since: iso(e.failingSince),
  created_at: e.createdAt.toISOString(),
});

export const toApiDelivery = (d: PublicDelivery): z.infer<typeof webhookDeliverySchema> => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType as z.infer<typeof webhookDeliverySchema>["event_type"],
  status: d.status,
  attempts: d.attempts,
  response_status: d.responseStatus,
  latency_ms: d.latencyMs,
  error: d.error,
  created_at: d.createdAt.toISOString(),
  last_attempt_at: iso(d.lastAttemptAt),
  next_attempt_at: iso(d.nextAttemptAt),
  delivered_at: iso(d.deliveredAt),
});
