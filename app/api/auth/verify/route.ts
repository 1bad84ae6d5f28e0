import { NextResponse } from "next/server";
import { z } from "zod";

import { sessionTokenFrom, setSessionCookie } from "@/lib/auth/cookie";
import { signInWithEthereum } from "@/lib/auth/sign-in";
import { UnauthorizedError } from "@/lib/errors";
import { appOrigin, assertSameOrigin, isHttps } from "@/lib/http/origin";
import { readJson, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const verifyBody = z.object({
  message: z.string().min(1).max(4096),
  signature: z.string().min(1).max(20_000),
});

/** Verifies a signed EIP-4361 message; 200 with a session cookie, or 401 { error } with the reason. */
export const POST = route(async (request) => {
  // Login CSRF: only our own pages may sign a browser in.
  assertSameOrigin(request);
  const parsed = verifyBody.safeParse(await readJson(request));
  if (!parsed.success) throw new UnauthorizedError("Body must be { message, signature }");
  const result = await signInWithEthereum({
    ...parsed.data,
    origin: appOrigin(request),
    previousToken: sessionTokenFrom(request),
    userAgent: request.headers.get("user-agent"),
  });
  const response = NextResponse.json({ address: result.user.address, roles: result.user.roles }, { headers: { "Cache-Control": "no-store" } });
  setSessionCookie(response, result.token, { secure: isHttps(request), absoluteExpiresAt: result.absoluteExpiresAt });
  return response;
});
