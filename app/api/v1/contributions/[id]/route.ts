import { getContribution, toApiContribution } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";
import { jsonResponse } from "@/lib/http/json-response";
import { recordRead } from "@/lib/revenue/reads";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const contribution = await getContribution(id.data, viewerOf(principal, request));
  // A withheld contribution's placeholder is not a read of its work.
  if (principal.kind === "key" && !contribution.contentWithheld) recordRead(principal.key, { id: contribution.id, ownerId: contribution.userId });
  return jsonResponse(contribution, () => toApiContribution(contribution));
});
