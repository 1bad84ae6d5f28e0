import { downloadResponse } from "@/lib/contributions/download";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

async function fileId(params: Ctx["params"]): Promise<string> {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return id.data;
}

export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) =>
  downloadResponse(request, await fileId(params), "GET", viewerOf(principal, request)),
);
export const HEAD = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) =>
  downloadResponse(request, await fileId(params), "HEAD", viewerOf(principal, request)),
);
