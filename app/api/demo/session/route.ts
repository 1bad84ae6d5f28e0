import { NextResponse } from "next/server";
import { z } from "zod";

import { sessionTokenFrom, setSessionCookie } from "@/lib/auth/cookie";
import { DEMO_ROLES, assertDemoMode, signInAsDemoRole } from "@/lib/auth/demo-session";
import { checksum } from "@/lib/checksum";
import { ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { assertSameOrigin, isHttps } from "@/lib/http/origin";
import { readJson, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const demoSessionBody = z.object({ role: z.enum(DEMO_ROLES) });

/** Demo mode only (404 otherwise): signs this browser in as the seeded demo account of `role`. */
export const POST = route(async (request) => {
  assertDemoMode();
  // Login CSRF: only our own pages may sign a browser in.
  assertSameOrigin(request);
  const parsed = demoSessionBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError(`Body must be { role: ${DEMO_ROLES.map((r) => `"${r}"`).join(" | ")} }`, fieldErrorsFrom(parsed.error.issues));
  const result = await signInAsDemoRole({ role: parsed.data.role, previousToken: sessionTokenFrom(request), userAgent: request.headers.get("user-agent") });
  const response = NextResponse.json({ address: checksum(result.user.address), roles: result.user.roles }, { headers: { "Cache-Control": "no-store" } });
  setSessionCookie(response, result.token, { secure: isHttps(request), absoluteExpiresAt: result.absoluteExpiresAt });
  return response;
});
