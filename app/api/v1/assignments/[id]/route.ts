import { actingVerifierId, apiRoute } from "@/lib/api/principal";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { skipAssignment } from "@/lib/verification/assignments";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** Skip: the assignment goes back to the pool and is not offered to you again (204). */
export const DELETE = apiRoute<Ctx>({ scope: "verifications:write", allow: "session" }, async (_request, { params }, principal) => {
  const verifierId = actingVerifierId(principal);
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No live assignment of yours with this id");
  await skipAssignment(verifierId, id.data);
  return new Response(null, { status: 204 });
});
