import { isConnectionError } from "@/db/errors";
import { currentRequestId, log } from "@/lib/log";

/**
 * Typed errors, mapped to HTTP statuses in one place (`toProblem`, used by routes and server actions). Anything that is not an
 * AppError is an internal error: logged on the server, answered as a bare 500 with no detail.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, extra?: Record<string, unknown>) {
    super(400, "bad_request", message, extra);
  }
}

/** `{ field: [messages] }` from a zod error's issues ("_" for issues about the whole input). */
export function fieldErrorsFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[issue.path.map(String).join(".") || "_"] ??= []).push(issue.message);
  return out;
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]>,
  ) {
    super(400, "validation_failed", message, { fieldErrors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in required") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You do not have permission to do this") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found") {
    super(404, "not_found", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extra?: Record<string, unknown>) {
    super(409, "conflict", message, extra);
  }
}

export class RequestTimeoutError extends AppError {
  constructor(message: string) {
    super(408, "request_timeout", message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, "payload_too_large", message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string, extra?: Record<string, unknown>) {
    super(415, "unsupported_media_type", message, extra);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message: string) {
    super(412, "precondition_failed", message);
  }
}

export class RangeNotSatisfiableError extends AppError {
  constructor(size: number) {
    super(416, "range_not_satisfiable", `The requested range is outside the file (${size} bytes)`, { size });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, "unavailable", message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfter: number, message = `Rate limit exceeded; retry in ${retryAfter} s`) {
    super(429, "rate_limited", message, { retryAfter });
  }
}

/** A per-user limit on things held at once (unfinished uploads): no retry time, the user frees one. */
export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super(429, "limit_reached", message);
  }
}

/** The tus checksum extension's 460: the bytes of a PATCH did not match its Upload-Checksum (nothing was kept). */
export class ChecksumMismatchError extends AppError {
  constructor(message = "The request's bytes do not match its Upload-Checksum; nothing was stored") {
    super(460, "checksum_mismatch", message);
  }
}

export class GoneError extends AppError {
  constructor(message: string) {
    super(410, "gone", message);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  429: "Too Many Requests",
  460: "Checksum Mismatch",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The same text as `detail`, for clients that read `{ error }`. */
  error: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

function sqlState(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : "";
}

export function toProblem(error: unknown, instance?: string): Problem {
  const requestId = currentRequestId();
  // The database is unreachable (restart, failover): a 503 the client may retry, not a 500.
  if (!(error instanceof AppError) && isConnectionError(error)) error = new ServiceUnavailableError("The database is unavailable right now; try again shortly");
  // SQLSTATE class 22 (data exception: a value PostgreSQL cannot take) means input got past
  // validation: the client's fault, said without echoing the database's message.
  else if (!(error instanceof AppError) && /^22/.test(sqlState(error))) error = new BadRequestError("A value in the request is out of range or malformed");
  if (error instanceof AppError) {
    return {
      type: `https://nwu.dev/problems/${error.code}`,
      title: TITLES[error.status] ?? "Error",
      status: error.status,
      detail: error.message,
      error: error.message,
      code: error.code,
      ...(instance ? { instance } : {}),
      ...(requestId ? { request_id: requestId } : {}),
      ...error.extra,
    };
  }
  return {
    type: "about:blank",
    title: TITLES[500]!,
    status: 500,
    detail: "Something went wrong on our side. It has been logged.",
    error: "internal error",
    code: "internal",
    ...(instance ? { instance } : {}),
    // Quote it to support: it finds the logged error (with its stack) by this id.
    ...(requestId ? { request_id: requestId } : {}),
  };
}

/**
 * The problem for `error`, logged when it is ours (5xx not raised on purpose) so its stack can be
 * found by the request id. Routes and server actions both answer through this.
 */
export function reportedProblem(error: unknown, instance?: string): Problem {
  const problem = toProblem(error, instance);
  if (problem.status >= 500 && !(error instanceof AppError)) log.error(problem.status === 503 ? "database unavailable" : "internal error", { instance, error });
  return problem;
}

/** RFC 9457 problem details response. */
export function problemResponse(error: unknown, instance?: string, headers?: HeadersInit): Response {
  const problem = reportedProblem(error, instance);
  const h = new Headers(headers);
  if (problem.status === 503) h.set("Retry-After", "5");
  h.set("Content-Type", "application/problem+json");
  h.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(problem), { status: problem.status, headers: h });
}
