import "server-only";

import { randomUUID } from "node:crypto";

import { getEnv } from "@/lib/config/env";
import { saneRequestId } from "@/lib/log";

/**
 * The one rule for X-Forwarded-* (and a client-sent X-Request-Id): believed only with
 * TRUST_PROXY=on, i.e. when a load balancer in front of the app sets them and overwrites what
 * clients send. Without one, any client could forge them: claim https (HSTS, Secure cookies), pose
 * as another host (origin checks, SIWE domain) or plant ids in our logs.
 */
export const trustsProxy = (): boolean => getEnv().TRUST_PROXY === "on";

/** The first (client-nearest proxy's) value of a comma-separated forwarded header. */
function firstValue(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.split(",")[0]?.trim();
  return value || undefined;
}

/**
 * "https:" or "http:" as the load balancer saw it, when trusted; else "http:", what `next start`
 * serves. Not the request URL's protocol: Next builds that from X-Forwarded-Proto too, so it is as
 * forgeable as the header.
 */
export function requestProtocol(headers: Headers): "https:" | "http:" {
  if (!trustsProxy()) return "http:";
  const proto = firstValue(headers, "x-forwarded-proto")?.toLowerCase();
  return proto === "https" ? "https:" : "http:";
}

/** The Host the client asked for: X-Forwarded-Host when trusted, else Host. */
export function requestHost(headers: Headers): string | undefined {
  return (trustsProxy() ? firstValue(headers, "x-forwarded-host") : undefined) ?? headers.get("host") ?? undefined;
}

/**
 * The id of a request arriving from outside (proxy.ts, the route wrappers). An incoming
 * X-Request-Id is kept only when trusted — then it is the load balancer's, and a sane one ties our
 * lines to its logs; otherwise a client could plant or reuse ids in our logs and problem details,
 * so each request gets a fresh one.
 */
export const requestIdFrom = (headers: Headers): string => (trustsProxy() ? saneRequestId(headers) : undefined) ?? randomUUID();
