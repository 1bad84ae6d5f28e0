import "server-only";

import { requestProtocol } from "./forwarded";

/**
 * The security headers of every response, and the Content-Security-Policy of every page: scripts
 * only from this origin or carrying the request's nonce ('strict-dynamic' lets Next's nonce'd
 * bootstrap load its chunks) — no 'unsafe-inline' scripts. Inline style attributes stay allowed
 * (React style props); no frames, plugins, or foreign form targets.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * API answers (JSON, files, streams) are not pages: no CSP nonce to thread through, so the proxy
 * skips them (cheaper per call) and the route wrappers set these instead, with the request id.
 */
export function withApiHeaders(response: Response, request: Request, requestId: string): Response {
  try {
    response.headers.set("x-request-id", requestId);
    const https = requestProtocol(request.headers) === "https:";
    for (const [k, v] of Object.entries(securityHeaders({ https }))) if (!response.headers.has(k)) response.headers.set(k, v);
  } catch {
    // Immutable headers (a Response.redirect): left as they are.
  }
  return response;
}

export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(opts.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
