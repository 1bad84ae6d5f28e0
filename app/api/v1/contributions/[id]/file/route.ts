import { downloadResponse } from "@/lib/contributions/download";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

async function fileId(params: Ctx["params"]): Promise<string> {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return id.data;
}

export const GET = route<Ctx>(async (request, { params }) => downloadResponse(request, await fileId(params), "GET"));
export const HEAD = route<Ctx>(async (request, { params }) => downloadResponse(request, await fileId(params), "HEAD"));
