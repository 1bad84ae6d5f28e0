import { actingUserId, apiRoute } from "@/lib/api/principal";
import { getEnv } from "@/lib/config/env";
import { ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { readJson } from "@/lib/http/route";
import { getEmail } from "@/lib/notifications/addresses";
import { getPreferences, setPreferences } from "@/lib/notifications/preferences";
import { preferencesBody } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

async function answer(userId: string, preferences?: Awaited<ReturnType<typeof getPreferences>>) {
  return Response.json({ preferences: preferences ?? (await getPreferences(userId)), email: await getEmail(userId), email_available: !!getEnv().SMTP_URL }, { headers: { "Cache-Control": "no-store" } });
}

/** Every kind × channel (in_app, email), your address and whether this server sends e-mail. */
export const GET = apiRoute({ scope: "notifications:manage", allow: "session" }, async (_request, _ctx, principal) => answer(actingUserId(principal)));

/** Switches kinds and channels on or off: `{ preferences: [{ kind, channel, enabled }] }`; answers the whole set. */
export const PUT = apiRoute({ scope: "notifications:manage", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  const parsed = preferencesBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid preferences", fieldErrorsFrom(parsed.error.issues));
  return answer(userId, await setPreferences(userId, parsed.data.preferences));
});
