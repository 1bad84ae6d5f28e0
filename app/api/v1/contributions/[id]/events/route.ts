import { contributionEvents } from "@/lib/contributions/events";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";
import { sseResponse } from "@/lib/http/sse";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Live status (Server-Sent Events): `event: status` with { id, status, qualityScore, verificationCount, at }. */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return sseResponse(request.signal, "status", await contributionEvents(id.data, viewerOf(principal, request)));
});
