import { getContribution } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Just the moving parts: status, score, vote count. */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const c = await getContribution(id.data, viewerOf(principal, request));
  return Response.json(
    { id: c.id, status: c.status, quality_score: c.quality_score, verification_count: c.verification_count, halt_reason: c.halt_reason, updated_at: c.updated_at },
    { headers: { "Cache-Control": "no-store" } },
  );
});
