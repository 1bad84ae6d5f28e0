import { getEnv } from "@/lib/config/env";
import { ForbiddenError } from "@/lib/errors";

/** This app's public origin: APP_URL when configured, else the origin the request was made to. */
export function appOrigin(request: Request): string {
  const configured = getEnv().APP_URL;
  return configured ? new URL(configured).origin : new URL(request.url).origin;
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
