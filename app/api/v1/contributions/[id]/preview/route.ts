import { apiRoute, viewerOf } from "@/lib/api/principal";
import { getContributionFile } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { storedPreview } from "@/lib/previews/stored";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** The file's preview (computed once per file, stored): text, a table, an archive's list, an array's header… Withheld bytes: 404 but for owner and admins. */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const file = await getContributionFile(id.data, viewerOf(principal, request));
  const stored = await storedPreview({ cid: file.cid, size: file.size, mediaType: file.mediaType, name: file.fileName });
  return Response.json({ contribution_id: id.data, previewer_version: stored.version, computed_at: stored.computedAt.toISOString(), bytes_read: stored.bytesRead, preview: stored.preview });
});
