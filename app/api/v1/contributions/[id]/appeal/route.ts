import { actingUserId, apiRoute } from "@/lib/api/principal";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError, ValidationError, fieldErrorsFrom } from "@/lib/errors";
import { readJson } from "@/lib/http/route";
import { fileAppeal } from "@/lib/verification/appeals";
import { appealBody } from "@/lib/verification/schemas";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** The owner appeals a rejection, once, within APPEAL_WINDOW_DAYS (201 with the appeal; 409 if appealed already, halted, not rejected or too late). */
export const POST = apiRoute<Ctx>({ scope: "contributions:write", allow: "session" }, async (request, { params }, principal) => {
  const userId = actingUserId(principal);
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const parsed = appealBody.safeParse(await readJson(request));
  if (!parsed.success) throw new ValidationError("Invalid appeal", fieldErrorsFrom(parsed.error.issues));
  const appeal = await fileAppeal({ contributionId: id.data, userId, statement: parsed.data.statement });
  return Response.json(appeal, { status: 201 });
});
