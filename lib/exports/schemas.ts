import { z } from "zod";

import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";

import type { ExportDataset } from "./datasets";
import type { ExportFilters } from "./rows";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** A date (a whole UTC day) or an RFC 3339 date-time; `end`: a date means the end of that day. */
const instant = (name: string, end: boolean) =>
  z
    .string()
    .max(40)
    .refine((s) => DATE.test(s) || DATETIME.test(s), { error: `${name} must be a date (2026-01-31) or an RFC 3339 date-time (2026-01-31T12:00:00Z)` })
    .transform((s, ctx) => {
      const ms = Date.parse(DATE.test(s) ? `${s}T00:00:00Z` : s);
      // Real calendar dates only: Date.parse rolls 2026-02-31 over, so compare the date back.
      const real = Number.isFinite(ms) && ms >= Date.UTC(1970, 0, 1) && ms <= Date.UTC(9999, 0, 1);
      if (!real || (DATE.test(s) && new Date(ms).toISOString().slice(0, 10) !== s)) {
        ctx.addIssue({ code: "custom", message: `${name} is not a real date` });
        return z.NEVER;
      }
      return new Date(DATE.test(s) && end ? ms + DAY_MS : ms);
    });

export const exportQuery = z
  .object({
    format: z.enum(["csv", "ndjson"], { error: "format must be csv or ndjson" }).default("csv"),
    from: instant("from", false).optional(),
    to: instant("to", true).optional(),
    status: z.string().max(40).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: "from must be before to", path: ["to"] });

/** The dataset's filters from a query string; 400 (RFC 9457, with field errors) for anything it does not take. */
export function exportFilters(d: ExportDataset, params: URLSearchParams): { format: "csv" | "ndjson"; filters: ExportFilters } {
  const q = parseQuery(exportQuery, params);
  if (q.status !== undefined) {
    if (!d.statuses) throw new ValidationError(`${d.name} have no status filter`, { status: [`${d.name} have no status filter`] });
    if (!d.statuses.includes(q.status)) {
      const message = `status must be one of ${d.statuses.join(", ")}`;
      throw new ValidationError(message, { status: [message] });
    }
  }
  return { format: q.format, filters: { from: q.from, to: q.to, status: q.status } };
}

export function unknownDataset(names: readonly string[]): NotFoundError {
  return new NotFoundError(`No such export; the datasets are ${names.join(", ")}`);
}
