import "server-only";

import { BadRequestError, problemResponse } from "@/lib/errors";
import { withLogContext } from "@/lib/log";

import { requestIdFrom } from "./forwarded";
import { isHttps } from "./origin";
import { withRequestReads } from "./read-floor";
import { settleRequestBody } from "./request-body";
import { withApiHeaders } from "./security-headers";

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

/**
 * Wraps a route handler: typed errors become RFC 9457 problem responses, anything else a bare 500
 * (logged, never leaked); a refused request's unread body is settled so the answer reaches a
 * keep-alive client (see request-body.ts). GET and HEAD may read from replicas (read-floor.ts).
 */
export function route<C = unknown>(handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return (request, context) => {
    const requestId = requestIdFrom(request.headers);
    return withLogContext({ requestId }, async () => {
      const response = await withRequestReads(request, () => isHttps(request), async () => {
        try {
          return await handler(request, context);
        } catch (error) {
          return problemResponse(error, new URL(request.url).pathname);
        }
      });
      return withApiHeaders(settleRequestBody(request, response), request, requestId);
    });
  };
}

/** The request body as JSON; a malformed body is a 400, not a 500. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new BadRequestError("Request body must be JSON");
  }
}
