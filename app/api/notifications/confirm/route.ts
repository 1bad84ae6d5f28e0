import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { confirmEmail } from "@/lib/notifications/addresses";
import { field, fromPage, smallForm } from "@/lib/notifications/token-routes";

export const dynamic = "force-dynamic";

/**
 * Confirms a notification address with the token of its confirmation mail (single use; no session:
 * the token is the proof). The confirmation page's button posts here and is sent back to the page —
 * a POST, so that mail scanners opening the link confirm nothing.
 */
export const POST = route(async (request) => {
  const url = new URL(request.url);
  const form = await smallForm(request);
  const token = field(url, form, "token") ?? "";
  const confirmed = await confirmEmail(token);
  if (fromPage(form)) return new Response(null, { status: 303, headers: { Location: `/notifications/confirm?${new URLSearchParams({ result: confirmed ? "confirmed" : "invalid" })}` } });
  if (!confirmed) throw new NotFoundError("This confirmation link is not valid or was used already");
  return Response.json(confirmed, { headers: { "Cache-Control": "no-store" } });
});
