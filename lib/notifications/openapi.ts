import type { z } from "zod";

import { emailBody, emailSchema, markReadAnswer, notificationListQuery, notificationPageSchema, notificationSchema, preferencesBody, preferencesSchema } from "./schemas";

type Json = Record<string, unknown>;

/** What lib/api/openapi.ts needs to describe the notification routes (its helpers, passed in, so this file adds paths without copying them). */
export interface DocTools {
  answer: (s: z.ZodType) => Json;
  closedBody: (s: z.ZodType) => Json;
  queryParameters: (s: z.ZodObject) => Json[];
  ref: (name: string) => Json;
  ok: (description: string, body: Json) => Json;
  problems: (...statuses: number[]) => Json;
  signedIn: (scope: string) => Json;
  keyed: number[];
}

/** The page's items are Notification references, not inline copies. */
function pageOf(t: DocTools): Json {
  const page = t.answer(notificationPageSchema) as { properties: Json };
  return { ...page, properties: { ...page.properties, items: { type: "array", items: t.ref("Notification") } } };
}

export function notificationSchemas(t: DocTools): Json {
  return {
    Notification: t.answer(notificationSchema),
    NotificationPage: pageOf(t),
    MarkReadAnswer: t.answer(markReadAnswer),
    NotificationPreferences: t.answer(preferencesSchema),
    NotificationEmail: t.answer(emailSchema),
  };
}

export function notificationPaths(t: DocTools): Json {
  const scope = t.signedIn("notifications:manage");
  const json = (schema: Json) => ({ required: true, content: { "application/json": { schema } } });
  // { ids } or { all: true }: one closed object with exactly one of them.
  const markRead = {
    type: "object",
    properties: {
      ids: { type: "array", items: { type: "string", format: "uuid" }, minItems: 1, maxItems: 100, description: "Notifications of yours to mark read (others' ids are ignored)" },
      all: { const: true, description: "Mark every notification read" },
    },
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
  };
  return {
    "/api/v1/me/notifications": {
      get: {
        operationId: "listNotifications",
        summary: "Your notifications, newest first (unread=true: unread only), with the unread count",
        ...scope,
        parameters: t.queryParameters(notificationListQuery),
        responses: { "200": t.ok("A page", t.ref("NotificationPage")), ...t.problems(400, ...t.keyed) },
      },
    },
    "/api/v1/me/notifications/read": {
      post: {
        operationId: "markNotificationsRead",
        summary: "Mark notifications read: { ids } (yours) or { all: true }",
        ...scope,
        requestBody: json(markRead),
        responses: { "200": t.ok("Marked; the new unread count", t.ref("MarkReadAnswer")), ...t.problems(400, ...t.keyed) },
      },
    },
    "/api/v1/me/events": {
      get: {
        operationId: "streamMyEvents",
        summary: "Your inbox, live (Server-Sent Events: `event: notification` with { unread, notification } — the count first, then each notification committed and each read)",
        ...scope,
        responses: { "200": { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...t.problems(...t.keyed) },
      },
    },
    "/api/v1/me/notification-preferences": {
      get: { operationId: "getNotificationPreferences", summary: "Every kind × channel, your e-mail address and whether this server sends e-mail", ...scope, responses: { "200": t.ok("Preferences", t.ref("NotificationPreferences")), ...t.problems(...t.keyed) } },
      put: {
        operationId: "setNotificationPreferences",
        summary: "Switch kinds and channels (in_app, email) on or off",
        ...scope,
        requestBody: json(t.closedBody(preferencesBody)),
        responses: { "200": t.ok("Preferences", t.ref("NotificationPreferences")), ...t.problems(400, ...t.keyed) },
      },
    },
    "/api/v1/me/email": {
      get: { operationId: "getNotificationEmail", summary: "Your notification e-mail address and whether it is confirmed", ...scope, responses: { "200": t.ok("The address", t.ref("NotificationEmail")), ...t.problems(...t.keyed, 404) } },
      post: {
        operationId: "setNotificationEmail",
        summary: "Set your address (unconfirmed) and mail it a confirmation link; 409 when this server sends no e-mail (SMTP_URL unset)",
        ...scope,
        requestBody: json(t.closedBody(emailBody)),
        responses: { "202": t.ok("Added; the confirmation mail is on its way", t.ref("NotificationEmail")), ...t.problems(400, ...t.keyed, 409) },
      },
      delete: { operationId: "removeNotificationEmail", summary: "Remove your address: no more e-mail", ...scope, responses: { "204": { description: "Removed" }, ...t.problems(...t.keyed, 404) } },
    },
  };
}
