import { NextResponse } from "next/server";

import { clearSessionCookie, sessionTokenFrom } from "@/lib/auth/cookie";
import { revokeSession } from "@/lib/auth/sessions";
import { assertSameOrigin, isHttps } from "@/lib/http/origin";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Revokes the session server-side (the old cookie is refused everywhere) and clears the cookie. */
export const POST = route(async (request) => {
  assertSameOrigin(request);
  const revoked = await revokeSession(sessionTokenFrom(request));
  const response = NextResponse.json({ signedOut: true, revoked }, { headers: { "Cache-Control": "no-store" } });
  clearSessionCookie(response, isHttps(request));
  return response;
});
