import { apiRoute } from "@/lib/api/principal";
import { hasRole } from "@/lib/auth/authorize";
import { ForbiddenError } from "@/lib/errors";
import { ADMIN_DATASET_NAMES, adminDataset } from "@/lib/exports/datasets";
import { exportFilters, unknownDataset } from "@/lib/exports/schemas";
import { MEDIA_TYPES, datasetExport } from "@/lib/exports/stream";
import { attachmentDisposition } from "@/lib/http/range";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ dataset: string }> };

/** An admin's export of one dataset (CSV or NDJSON), filtered by date range and status, streamed and audited. */
export const GET = apiRoute<Ctx>({ scope: "stats:read", allow: "session" }, async (request, { params }, principal) => {
  // Signed-in admins only: an API key never exports (a leaked key must not be a way to dump the tables).
  if (principal.kind !== "session") throw new ForbiddenError("Exports are for signed-in admins");
  if (!hasRole(principal.user, "admin")) throw new ForbiddenError("Exports are for admins");
  const dataset = adminDataset((await params).dataset);
  if (!dataset) throw unknownDataset(ADMIN_DATASET_NAMES);
  const { format, filters } = exportFilters(dataset, new URL(request.url).searchParams);
  const body = await datasetExport({ actorId: principal.user.userId, dataset, format, filters });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": MEDIA_TYPES[format],
      "Content-Disposition": attachmentDisposition(`nwu-${dataset.name}-${stamp}.${format}`),
      "Cache-Control": "private, no-store, no-transform",
    },
  });
});
