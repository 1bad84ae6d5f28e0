import { actingUserId, apiRoute } from "@/lib/api/principal";
import { parseQuery } from "@/lib/http/query";
import { listNotifications } from "@/lib/notifications/inbox";
import { notificationListQuery } from "@/lib/notifications/schemas";
import { decodeCursor } from "@/lib/pagination";

export const dynamic = "force-dynamic";

/** Your notifications, newest first (`unread=true`: unread only), with the unread count. */
export const GET = apiRoute({ scope: "notifications:manage", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  const query = parseQuery(notificationListQuery, new URL(request.url).searchParams);
  const page = await listNotifications(userId, { unread: query.unread === "true", cursor: decodeCursor(query.cursor), limit: query.limit });
  return Response.json({ unread: page.unread, items: page.items, next_cursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
});
