import "server-only";

import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";

import type { UserRole } from "@/db/schema";
import { requireRole, requireUser } from "@/lib/auth/authorize";
import type { SessionUser } from "@/lib/auth/sessions";
import { ValidationError, fieldErrorsFrom, reportedProblem } from "@/lib/errors";
import { withReadScope } from "@/db/read-scope";
import { replicasConfigured, sendReadFloor } from "@/lib/http/read-floor";
import { assignedRequestId, withLogContext } from "@/lib/log";

export type ActionResult<T = null> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; status: number; fieldErrors?: Record<string, string[]> };

type Input = FormData | Record<string, unknown>;

function toObject(input: Input | undefined): Record<string, unknown> {
  if (input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of input.entries()) {
      if (k.startsWith("$ACTION")) continue;
      // Repeated fields (checkbox groups) become arrays.
      out[k] = k in out ? [...(Array.isArray(out[k]) ? (out[k] as unknown[]) : [out[k]]), v] : v;
    }
    return out;
  }
  return input ?? {};
}

/**
 * Every server action goes through this: the session (and role) is checked on the server, the
 * input is parsed with zod (`z.coerce` for form fields), and the result is a discriminated union
 * — never a thrown error reaching the client. Callable directly with an object or FormData, or as
 * a `useActionState` action `(previousState, formData)`.
 */
export function validatedAction<S extends z.ZodType, T>(
  schema: S,
  access: { role?: UserRole },
  handler: (input: z.output<S>, ctx: { user: SessionUser }) => Promise<T>,
): (...args: [Input] | [unknown, Input]) => Promise<ActionResult<T>> {
  return async (...args) => {
    const requestId = await headers().then(assignedRequestId, () => undefined);
    // Actions read and write on the primary; with replicas, one that wrote sends its writer the read floor.
    if (!replicasConfigured()) return withLogContext({ requestId }, () => run(...args));
    return withLogContext({ requestId }, () =>
      withReadScope({ replica: false }, async () => {
        try {
          return await run(...args);
        } finally {
          // Also when the action ends in redirect() (rethrown by run) after writing.
          await sendReadFloor();
        }
      }),
    );
  };
  async function run(...args: [Input] | [unknown, Input]): Promise<ActionResult<T>> {
    try {
      const user = access.role ? await requireRole(access.role) : await requireUser();
      const parsed = schema.safeParse(toObject(args[args.length - 1] as Input | undefined));
      if (!parsed.success) {
        throw new ValidationError("Please correct the highlighted fields", fieldErrorsFrom(parsed.error.issues));
      }
      return { ok: true, data: await handler(parsed.data, { user }) };
    } catch (error) {
      // redirect(), notFound() and friends are control flow for Next, not failures.
      unstable_rethrow(error);
      // The same mapping as routes (a database outage is 503, a value PostgreSQL refuses is 400),
      // in the shape components read.
      const problem = reportedProblem(error);
      return {
        ok: false,
        error: problem.detail,
        status: problem.status,
        ...(error instanceof ValidationError ? { fieldErrors: error.fieldErrors } : {}),
      };
    }
  }
}
