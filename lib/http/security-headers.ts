import "server-only";

import { requestProtocol } from "./forwarded";

/**
 * The security headers of every response, and the Content-Security-Policy of every page: scripts
 * only from this origin or carrying the request's nonce ('strict-dynamic' lets Next's nonce'd
 * bootstrap load its chunks) — no 'unsafe-inline' scripts. Inline style attributes stay allowed
 * (React style props); no frames, plugins, or foreign form targets.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; walletConnect?: boolean }): string {
  const wc = opts.walletConnect ? WALLET_CONNECT_SOURCES : null;
  const plus = (list: string[] | undefined) => (list ? ` ${list.join(" ")}` : "");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'unsafe-inline'${plus(wc?.style)}`,
    `img-src 'self' blob: data:${plus(wc?.img)}`,
    `font-src 'self'${plus(wc?.font)}`,
    `connect-src 'self'${opts.dev ? " ws:" : ""}${plus(wc?.connect)}`,
    ...(wc ? [`frame-src${plus(wc.frame)}`] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * What WalletConnect (its relay, RPC, Verify frame and QR modal: Reown's published CSP guidance) and
 * Coinbase Wallet (its WalletLink relay) must reach once a project id is configured — nothing otherwise.
 */
const WALLET_CONNECT_SOURCES = {
  style: ["https://fonts.googleapis.com"],
  img: ["https://walletconnect.org", "https://walletconnect.com", "https://secure.walletconnect.com", "https://secure.walletconnect.org", "https://api.web3modal.org", "https://api.web3modal.com"],
  font: ["https://fonts.gstatic.com", "https://fonts.reown.com"],
  connect: [
    ...["rpc", "relay", "pulse", "keys", "verify", "notify", "echo", "push"].flatMap((h) => [`https://${h}.walletconnect.com`, `https://${h}.walletconnect.org`]),
    "wss://relay.walletconnect.com",
    "wss://relay.walletconnect.org",
    "https://api.web3modal.org",
    "https://api.web3modal.com",
    "wss://www.walletlink.org",
    "https://keys.coinbase.com",
  ],
  frame: ["https://verify.walletconnect.com", "https://verify.walletconnect.org", "https://secure.walletconnect.com", "https://secure.walletconnect.org"],
};

// Read by name at request time (a literal `process.env.NEXT_PUBLIC_…` is inlined at build time, below).
const WALLET_CONNECT_VARIABLE = "NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID";
const BUILT_WALLET_CONNECT = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;

/** Whether the connect dialog offers WalletConnect and Coinbase Wallet (lib/auth/wallet-options.ts decides the same way). */
export function walletConnectConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[WALLET_CONNECT_VARIABLE]?.trim() || BUILT_WALLET_CONNECT);
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

export function securityHeaders(opts: { https: boolean; walletConnect?: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    // Coinbase Wallet signs in a popup it must keep talking to: same-origin would cut it off.
    "Cross-Origin-Opener-Policy": opts.walletConnect ? "same-origin-allow-popups" : "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(opts.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
