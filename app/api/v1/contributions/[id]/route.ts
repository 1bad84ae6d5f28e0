import { getContribution, toApiContribution } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return Response.json(toApiContribution(await getContribution(id.data, viewerOf(principal, request))));
});
