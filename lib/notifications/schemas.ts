import { z } from "zod";

import { limitSchema } from "@/lib/pagination";

import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "./kinds";

export const notificationListQuery = z.object({
  unread: z.enum(["true", "false"], { error: "unread must be true or false" }).optional().describe("true: unread notifications only"),
  cursor: z.string().max(512).optional(),
  limit: limitSchema,
});

export const markReadBody = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(100).describe("Notifications of yours to mark read (others' ids are ignored)") }),
  z.strictObject({ all: z.literal(true).describe("Mark every notification read") }),
]);

export const preferencesBody = z.strictObject({
  preferences: z
    .array(z.strictObject({ kind: z.enum(NOTIFICATION_KINDS), channel: z.enum(NOTIFICATION_CHANNELS), enabled: z.boolean() }))
    .min(1)
    .max(NOTIFICATION_KINDS.length * NOTIFICATION_CHANNELS.length * 2),
});

export const emailBody = z.strictObject({ address: z.email({ error: "Enter an e-mail address such as you@example.org" }).max(254) });

const reason = z.object({ score: z.number(), by: z.string(), reasoning: z.string() });
export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().describe("A path in the app (the contribution, the review queue…)"),
  reasons: z.array(reason).describe("A decision's reasons (lowest score first); empty for other kinds"),
  read_at: z.iso.datetime({ offset: true }).nullable(),
  created_at: z.iso.datetime({ offset: true }),
});
export const notificationPageSchema = z.object({ unread: z.int().min(0).describe("Unread notifications (counted up to 1,000)"), items: z.array(notificationSchema), next_cursor: z.string().nullable() });
export const markReadAnswer = z.object({ updated: z.int().min(0), unread: z.int().min(0) });
const channels = z.object({ in_app: z.boolean(), email: z.boolean() });
export const preferencesSchema = z.object({
  preferences: z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, channels])) as Record<(typeof NOTIFICATION_KINDS)[number], typeof channels>),
  email: z.object({ address: z.string(), confirmed: z.boolean(), confirmed_at: z.iso.datetime({ offset: true }).nullable() }).nullable(),
  email_available: z.boolean().describe("Whether this server sends e-mail (SMTP_URL)"),
});
export const emailSchema = z.object({ address: z.string(), confirmed: z.boolean(), confirmed_at: z.iso.datetime({ offset: true }).nullable() });
