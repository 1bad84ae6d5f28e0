import { contributionEventStream } from "@/lib/contributions/events";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Live status (Server-Sent Events): `event: status` with { id, status, qualityScore, verificationCount, at }. */
export const GET = route<Ctx>(async (request, { params }) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  return contributionEventStream(request, id.data);
});
