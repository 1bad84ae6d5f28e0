import "server-only";

import { getEnv } from "@/lib/config/env";
import { ForbiddenError } from "@/lib/errors";

import { requestHost, requestProtocol } from "./forwarded";

/**
 * This app's public origin: APP_URL when configured (production must set it — see README), else
 * the Host the request was sent to. X-Forwarded-* headers count only with TRUST_PROXY=on
 * (lib/http/forwarded.ts): otherwise a signed-in-elsewhere message could be replayed here by
 * forging them.
 */
export function appOrigin(request: Request): string {
  return originOf(request.headers, new URL(request.url).host);
}

/** appOrigin from a request's headers alone (pages, metadata routes); `fallbackHost` when Host is missing. */
export function originOf(headers: Headers, fallbackHost = "localhost"): string {
  const configured = getEnv().APP_URL;
  if (configured) return new URL(configured).origin;
  const protocol = requestProtocol(headers);
  try {
    return new URL(`${protocol}//${requestHost(headers) ?? fallbackHost}`).origin;
  } catch {
    // A Host no URL can hold: the one Next put in the request URL.
    return `${protocol}//${fallbackHost}`;
  }
}

export function isHttps(request: Request): boolean {
  return appOrigin(request).startsWith("https:");
}

/**
 * Route handlers have no built-in CSRF protection (server actions do): a cookie-authenticated
 * state-changing request must come from our own pages. Browsers always send Origin on POST/PUT/
 * DELETE; a request without it is accepted only when Sec-Fetch-Site says same-origin.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin !== appOrigin(request)) throw new ForbiddenError("Cross-origin request refused");
    return;
  }
  if (request.headers.get("sec-fetch-site") !== "same-origin") {
    throw new ForbiddenError("Cross-origin request refused: Origin header missing");
  }
}
