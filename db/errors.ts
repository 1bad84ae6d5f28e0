/** One short line describing why a database call failed, safe to log (no credentials, no stack). */
export function describeDbError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: unknown; errors?: unknown[] };
  // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) keeps the useful part inside.
  const inner = e?.errors?.[0] ?? e?.cause;
  // drizzle wraps driver errors as "Failed query: …" with the real reason in `cause`.
  if (inner && e?.message?.startsWith("Failed query")) return describeDbError(inner);
  const base = e?.message || (inner ? describeDbError(inner) : String(error));
  const code = e?.code && !base.includes(e.code) ? `${e.code}: ` : "";
  return `${code}${base}`.replace(/\s+/g, " ").replace(/postgres(ql)?:\/\/[^@\s]*@/gi, "postgres://***@").slice(0, 300);
}

/** True when the error means the database cannot be reached right now (vs. a bad query). */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P01", "57P02", "57P03", "53300"]);

/** True when the error means the database cannot be reached right now (vs. a bad query), wrapped or not. */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: string; cause?: unknown; errors?: unknown[] };
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  // drizzle wraps driver errors ("Failed query: …", cause); Node wraps dual-stack refusals (AggregateError).
  return isConnectionError(e.cause, depth + 1) || (Array.isArray(e.errors) && e.errors.some((x) => isConnectionError(x, depth + 1)));
}

/** A unique constraint refused the write (directly, or wrapped by drizzle as its `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}
