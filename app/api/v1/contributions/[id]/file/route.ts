import { apiRoute, viewerOf, type Principal } from "@/lib/api/principal";
import { contributionBytes, contributionFile } from "@/lib/contributions/download";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { fileResponse } from "@/lib/http/file-response";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

async function download(request: Request, params: Ctx["params"], method: "GET" | "HEAD", principal: Principal): Promise<Response> {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const file = await contributionFile(id.data, viewerOf(principal, request));
  return fileResponse(request, method, file.served, (range) => contributionBytes(id.data, file.cid, range, request.signal));
}

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => download(request, params, "GET", principal));
export const HEAD = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => download(request, params, "HEAD", principal));
