import { apiRoute, viewerOf } from "@/lib/api/principal";
import { getContributionFile } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { archiveEntries } from "@/lib/previews/contribution-preview";
import { entriesQuery } from "@/lib/previews/schema";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** An archive's entries, a page at a time, or with `path` one file inside it and its preview. Read by ranges, never extracted. */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const query = parseQuery(entriesQuery, new URL(request.url).searchParams);
  const file = await getContributionFile(id.data, viewerOf(principal, request));
  return Response.json(await archiveEntries({ cid: file.cid, size: file.size, mediaType: file.mediaType, name: file.fileName }, query));
});
