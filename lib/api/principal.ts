import "server-only";

import { parseLsn } from "@/db/lsn";
import { raiseReadFloor } from "@/db/read-scope";
import { authenticateApiKey, recordKeyWriteFloor, scopeAllowed, scopeRefusal, type ApiScope, type KeyPrincipal } from "@/lib/api-keys/keys";
import { takeRateLimit } from "@/lib/api-keys/rate-limit";
import { recordUsage } from "@/lib/api-keys/usage";
import { currentUser, hasRole } from "@/lib/auth/authorize";
import type { SessionUser } from "@/lib/auth/sessions";
import { memoViewer, type ViewerSource } from "@/lib/contributions/visibility";
import { ForbiddenError, RateLimitedError, UnauthorizedError, problemResponse } from "@/lib/errors";
import { requestIdFrom } from "@/lib/http/forwarded";
import { assertSameOrigin, isHttps } from "@/lib/http/origin";
import { withRequestReads, writeFloor } from "@/lib/http/read-floor";
import { settleRequestBody } from "@/lib/http/request-body";
import { withApiHeaders } from "@/lib/http/security-headers";
import { withLogContext } from "@/lib/log";

export type Principal = { kind: "key"; key: KeyPrincipal } | { kind: "session"; user: SessionUser } | { kind: "anonymous" };

const BEARER_KEY = /^Bearer\s+(nwu_\S+)$/i;

interface ApiRouteOptions {
  /** The scope an API key needs for this endpoint. */
  scope: ApiScope;
  /** Who may call without a key: anyone, signed-in browsers (cookie), or nobody. */
  allow: "anonymous" | "session" | "key-only";
  /**
   * false: a keyed call is authenticated and scope-checked but neither rate limited nor counted —
   * the requests that carry an upload's bytes (tus PATCH/HEAD), whose creation already counted.
   */
  metered?: false;
}

type Handler<C> = (request: Request, context: C, principal: Principal) => Promise<Response>;

/**
 * The public REST API's front door: `Authorization: Bearer nwu_…` keys (scope checked, rate
 * limited per key across instances, usage counted) or the browser's session cookie (Origin checked
 * for writes). Errors are RFC 9457 problem details; rate-limit headers are on every keyed answer.
 */
export function apiRoute<C = unknown>(options: ApiRouteOptions, handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return (request, context) => {
    const requestId = requestIdFrom(request.headers);
    return withLogContext({ requestId }, async () => {
      const response = await withRequestReads(request, () => isHttps(request), () => handle(request, context));
      return withApiHeaders(settleRequestBody(request, response), request, requestId);
    });
  };
  async function handle(request: Request, context: C): Promise<Response> {
    // The path is only needed for usage rows and problem details: parsed on those paths alone.
    const instance = () => new URL(request.url).pathname;
    let rateHeaders: Record<string, string> = {};
    try {
      const bearer = BEARER_KEY.exec(request.headers.get("authorization") ?? "")?.[1];
      let principal: Principal;
      if (bearer) {
        const key = await authenticateApiKey(bearer);
        if (!key) throw new UnauthorizedError("Invalid, expired or revoked API key");
        if (!key.scopes.includes(options.scope)) throw new ForbiddenError(`This API key lacks the ${options.scope} scope`);
        if (!scopeAllowed(options.scope, key.roles)) throw new ForbiddenError(scopeRefusal(options.scope));
        if (options.metered !== false) {
          const decision = await takeRateLimit(key);
          rateHeaders = decision.headers;
          if (decision.capped) throw new RateLimitedError(decision.retryAfter ?? 1, `The ${key.plan} plan's requests for this billing period are used up; retry in ${decision.retryAfter ?? 1} s or upgrade`);
          if (!decision.allowed) throw new RateLimitedError(decision.retryAfter ?? 1);
          recordUsage({ subscriptionId: key.subscriptionId, userId: key.userId, apiKeyId: key.keyId, endpoint: `${request.method} ${endpointOf(instance())}` });
        }
        principal = { kind: "key", key };
        // Read-your-writes for the key: its reads wait for replicas to replay its last write.
        raiseReadFloor(parseLsn(key.lastWriteLsn));
      } else if (options.allow === "key-only") {
        throw new UnauthorizedError("An API key is required (Authorization: Bearer nwu_…)");
      } else if (options.allow === "anonymous") {
        // Public reads need no session: skip its lookup (one statement fewer per request).
        principal = { kind: "anonymous" };
      } else {
        const user = await currentUser(request);
        if (!user) throw new UnauthorizedError("Sign in or send an API key (Authorization: Bearer nwu_…)");
        if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
        principal = { kind: "session", user };
      }
      const response = await handler(request, context, principal);
      for (const [k, v] of Object.entries(rateHeaders)) response.headers.set(k, v);
      if (principal.kind === "key") await recordKeyWriteFloor(principal.key.keyId, await writeFloor());
      return response;
    } catch (error) {
      return problemResponse(error, instance(), rateHeaders);
    }
  }
}

const UUID_SEGMENT = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi;
const ADDRESS_SEGMENT = /\/0x[0-9a-fA-F]{40}(?=\/|$)/g;

const PLAIN_SEGMENT = /^(?:[a-z][a-z0-9._-]{0,39}|\{id\}|\{address\})$/;

/**
 * "/api/v1/contributions/<uuid>/file" → "/api/v1/contributions/{id}/file": usage rows per endpoint, not
 * per resource. Any other segment that is not a plain word (junk ids, 10 KB of emoji) becomes `{param}`:
 * a caller cannot make the name unbounded, which would overflow its index and fail the whole batch's flush.
 */
export function endpointOf(pathname: string): string {
  const named = pathname.replace(UUID_SEGMENT, "/{id}").replace(ADDRESS_SEGMENT, "/{address}");
  return named
    .split("/")
    .map((segment, i) => (i === 0 || PLAIN_SEGMENT.test(segment) ? segment : "{param}"))
    .join("/")
    .slice(0, 200);
}

/**
 * Who is reading, for answers that differ for owners and admins (withheld content). A public route
 * does not look the session up unless this is called; the lookup happens once per request.
 */
export function viewerOf(principal: Principal, request: Request): ViewerSource {
  if (principal.kind === "key") {
    const { userId, address, roles } = principal.key;
    return async () => ({ userId, address, roles });
  }
  if (principal.kind === "session") return async () => principal.user;
  return memoViewer(() => currentUser(request));
}

/** The acting verifier: a verifier's key (as its owner) or signed-in verifier; 403 for anyone else. */
export function actingVerifierId(principal: Principal): string {
  const who = principal.kind === "key" ? { userId: principal.key.userId, roles: principal.key.roles } : principal.kind === "session" ? principal.user : null;
  if (!who || !hasRole(who, "verifier")) throw new ForbiddenError("Assignments are for verifier accounts");
  return who.userId;
}

/** The acting user of a write: the key's owner or the signed-in user. */
export function actingUserId(principal: Principal): string {
  if (principal.kind === "key") return principal.key.userId;
  if (principal.kind === "session") return principal.user.userId;
  throw new UnauthorizedError();
}
