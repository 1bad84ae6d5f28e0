import { NextResponse, type NextRequest } from "next/server";

import { SESSION_COOKIE_NAME, SIGNED_IN_FLAG } from "@/lib/auth/signed-in-flag";
import { requestIdFrom, requestProtocol } from "@/lib/http/forwarded";
import { contentSecurityPolicy, securityHeaders, walletConnectConfigured } from "@/lib/http/security-headers";

/**
 * Runs before every page (and server action): gives the request an id (echoed as x-request-id, logged
 * on every line; a load balancer's kept only with TRUST_PROXY=on; the pages and actions behind read
 * this one: `assignedRequestId`), a fresh CSP nonce (Next puts it on its own scripts), and the security headers.
 * API routes are left out: their wrappers (lib/http/route.ts, lib/api/principal.ts) set the id and
 * headers themselves, without a per-request CSP they have no use for.
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const walletConnect = walletConnectConfigured();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", walletConnect });
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  response.headers.set("Content-Security-Policy", csp);
  // HSTS only when a trusted load balancer (TRUST_PROXY=on) says the client came over https.
  const https = requestProtocol(request.headers) === "https:";
  for (const [k, v] of Object.entries(securityHeaders({ https, walletConnect }))) response.headers.set(k, v);
  // A session from before the flag existed: give it the flag, or its pages would look signed out. (A
  // stale one is dropped by the browser after /api/auth/session answers 401.)
  if (request.cookies.has(SESSION_COOKIE_NAME) && !request.cookies.has(SIGNED_IN_FLAG)) {
    response.cookies.set(SIGNED_IN_FLAG, "1", { httpOnly: false, sameSite: "lax", secure: https, path: "/" });
  }
  return response;
}

export const config = {
  // Pages and actions; not build assets (immutable files) and not the API (see above).
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }],
};
