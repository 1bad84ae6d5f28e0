import { actingUserId, apiRoute } from "@/lib/api/principal";
import { sseResponse } from "@/lib/http/sse";
import { unreadCount } from "@/lib/notifications/inbox";
import { inboxEvents } from "@/lib/notifications/stream";

export const dynamic = "force-dynamic";

/**
 * Your inbox, live (Server-Sent Events): `event: notification` with { unread, notification } — the
 * unread count first (notification null), then each notification as it is committed and each read
 * (notification null), from any instance (LISTEN/NOTIFY).
 */
export const GET = apiRoute({ scope: "notifications:manage", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  return sseResponse(request.signal, "notification", await inboxEvents(userId, () => unreadCount(userId)));
});
