import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { unsubscribe } from "@/lib/notifications/addresses";
import { field, fromPage, smallForm } from "@/lib/notifications/token-routes";

export const dynamic = "force-dynamic";

/**
 * One-click unsubscribe (RFC 8058): the List-Unsubscribe URL of every mail, POSTed by the mail client
 * with `List-Unsubscribe=One-Click` — no session, the link's random token is the proof, and it can
 * only switch e-mail off (`kind`, or every kind without one). The unsubscribe page's button posts
 * here too and is sent back to the page. No Origin check: mail providers post from their servers.
 */
export const POST = route(async (request) => {
  const url = new URL(request.url);
  const form = await smallForm(request);
  const token = field(url, form, "token");
  if (!token) throw new NotFoundError("This unsubscribe link is not valid");
  const kind = field(url, form, "kind");
  const done = await unsubscribe(token, kind);
  if (fromPage(form)) {
    const back = new URLSearchParams({ token, done: "1", ...(kind ? { kind } : {}) });
    return new Response(null, { status: 303, headers: { Location: `/notifications/unsubscribe?${back}` } });
  }
  return Response.json({ unsubscribed: done.kinds, channel: "email" }, { headers: { "Cache-Control": "no-store" } });
});
