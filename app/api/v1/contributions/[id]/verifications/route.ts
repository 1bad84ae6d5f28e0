import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { apiRoute, viewerOf } from "@/lib/api/principal";
import { getContribution } from "@/lib/contributions/queries";
import { decodeCursor } from "@/lib/pagination";
import { rewardsQuery } from "@/lib/users/schemas";
import { votesFor } from "@/lib/verification/queries";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const pageQuery = rewardsQuery.omit({ status: true });

/** A contribution's votes, newest first, paginated: sealed (count and commitments) until the decision, then revealed (an appeal's panel is sealed until it decides; a calibration item's votes, to admins only). */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const query = parseQuery(pageQuery, new URL(request.url).searchParams);
  // 404 for an unknown id, as /{id} answers, and for withheld work.
  const viewer = viewerOf(principal, request);
  const contribution = await getContribution(id.data, viewer);
  const page = await votesFor(contribution, viewer, { cursor: decodeCursor(query.cursor), limit: query.limit });
  return Response.json({ items: page.items, next_cursor: page.nextCursor });
});
