import { actingVerifierId, apiRoute } from "@/lib/api/principal";
import { claimNext, liveAssignments, toPublicAssignment } from "@/lib/verification/assignments";

export const dynamic = "force-dynamic";

/** Your live assignments, oldest first. */
export const GET = apiRoute({ scope: "verifications:write", allow: "session" }, async (_request, _ctx, principal) => {
  const items = await liveAssignments(actingVerifierId(principal));
  return Response.json({ items: items.map(toPublicAssignment) });
});

/** Your next assignment, drawn at random among open work that needs reviewers (201), or none (200). */
export const POST = apiRoute({ scope: "verifications:write", allow: "session" }, async (_request, _ctx, principal) => {
  const { assignment, full } = await claimNext(actingVerifierId(principal));
  return Response.json({ assignment: assignment && toPublicAssignment(assignment), full }, { status: assignment ? 201 : 200 });
});
