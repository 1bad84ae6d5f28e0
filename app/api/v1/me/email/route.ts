import { actingUserId, apiRoute } from "@/lib/api/principal";
import { NotFoundError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { appOrigin } from "@/lib/http/origin";
import { readJson } from "@/lib/http/route";
import { addEmail, getEmail, removeEmail } from "@/lib/notifications/addresses";
import { emailBody } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

/** Your notification address and whether it is confirmed (404 when none). */
export const GET = apiRoute({ scope: "notifications:manage", allow: "session" }, async (_request, _ctx, principal) => {
  const email = await getEmail(actingUserId(principal));
  if (!email) throw new NotFoundError("No e-mail address added");
  return Response.json(email, { headers: { "Cache-Control": "no-store" } });
});

/** Sets your address (unconfirmed) and mails it a confirmation link; 409 when this server sends no e-mail. */
export const POST = apiRoute({ scope: "notifications:manage", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  const parsed = emailBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid e-mail address", fieldErrorsFrom(parsed.error.issues));
  return Response.json(await addEmail(userId, parsed.data.address, appOrigin(request)), { status: 202 });
});

/** Removes your address: no more e-mail (204; 404 when none). */
export const DELETE = apiRoute({ scope: "notifications:manage", allow: "session" }, async (_request, _ctx, principal) => {
  if (!(await removeEmail(actingUserId(principal)))) throw new NotFoundError("No e-mail address added");
  return new Response(null, { status: 204 });
});
