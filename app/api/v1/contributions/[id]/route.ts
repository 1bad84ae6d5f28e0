import { getContribution } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute } from "@/lib/api/principal";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (_request, { params }) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const { userId: _owner, ...contribution } = await getContribution(id.data);
  return Response.json(contribution);
});
