import { apiRoute, viewerOf } from "@/lib/api/principal";
import { getContributionFile } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { tableRows } from "@/lib/previews/rows";
import { rowsQuery } from "@/lib/previews/schema";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** A tabular file's rows, 100 at a time from `offset` (Parquet/Arrow by ranges; text within the preview's budget). Withheld bytes: 404 but for owner and admins. */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const query = parseQuery(rowsQuery, new URL(request.url).searchParams);
  const file = await getContributionFile(id.data, viewerOf(principal, request));
  return Response.json({ contribution_id: id.data, ...(await tableRows({ cid: file.cid, size: file.size, mediaType: file.mediaType, name: file.fileName }, query.offset)) });
});
