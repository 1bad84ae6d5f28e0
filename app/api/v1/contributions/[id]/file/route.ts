import { apiRoute, viewerOf, type Principal } from "@/lib/api/principal";
import { contributionBytes, contributionFile } from "@/lib/contributions/download";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { fileResponse } from "@/lib/http/file-response";
import { recordRead } from "@/lib/revenue/reads";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

async function download(request: Request, params: Ctx["params"], method: "GET" | "HEAD", principal: Principal): Promise<Response> {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const file = await contributionFile(id.data, viewerOf(principal, request));
  const response = fileResponse(request, method, file.served, (range) => contributionBytes(id.data, file.cid, range, request.signal));
  // A read is bytes served (a whole file or a range), not a HEAD or a 304 revalidation.
  if (principal.kind === "key" && method === "GET" && (response.status === 200 || response.status === 206)) recordRead(principal.key, { id: id.data, ownerId: file.ownerId });
  return response;
}

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => download(request, params, "GET", principal));
export const HEAD = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => download(request, params, "HEAD", principal));
