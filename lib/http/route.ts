import { BadRequestError, problemResponse } from "@/lib/errors";
import { requestIdFrom, withLogContext } from "@/lib/log";

import { withApiHeaders } from "./security-headers";

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

/**
 * Wraps a route handler: typed errors become RFC 9457 problem responses, anything else a bare 500
 * (logged, never leaked).
 */
export function route<C = unknown>(handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return (request, context) => {
    const requestId = requestIdFrom(request.headers);
    return withLogContext({ requestId }, async () => {
      try {
        return withApiHeaders(await handler(request, context), request, requestId);
      } catch (error) {
        return withApiHeaders(problemResponse(error, new URL(request.url).pathname), request, requestId);
      }
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
