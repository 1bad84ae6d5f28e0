import type { z } from "zod";

import { ValidationError, fieldErrorsFrom } from "@/lib/errors";

/** Parses URL search params (first value of each, empty ones dropped) with a zod schema; 400 with field errors. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams | Record<string, string | string[] | undefined>): z.output<S> {
  const raw: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined && v !== "" && !(key in raw)) raw[key] = v;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues[0]?.message ?? "Invalid query", fieldErrorsFrom(result.error.issues));
}
