import { actingUserId, apiRoute } from "@/lib/api/principal";
import { ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { readJson } from "@/lib/http/route";
import { markRead } from "@/lib/notifications/inbox";
import { markReadBody } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

/** Marks notifications read: `{ ids: [...] }` (yours; others' are ignored) or `{ all: true }`. Answers the new unread count. */
export const POST = apiRoute({ scope: "notifications:manage", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  const parsed = markReadBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Send { ids: [...] } or { all: true }", fieldErrorsFrom(parsed.error.issues));
  return Response.json(await markRead(userId, "all" in parsed.data ? { all: true } : { ids: parsed.data.ids }));
});
