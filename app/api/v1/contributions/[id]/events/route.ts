import { contributionEvents } from "@/lib/contributions/events";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { apiRoute, viewerOf } from "@/lib/api/principal";
import { sseResponse } from "@/lib/http/sse";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * Live status (Server-Sent Events): `event: status` with { id, status, qualityScore, verificationCount, at }
 * (and `reward` once a decision created one) — the current state first, then one per committed change,
 * every ballot (abstentions too) included. Never anything sealed: pages refetch what their viewer may see.
 */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return sseResponse(request.signal, "status", await contributionEvents(id.data, viewerOf(principal, request)));
});
