import { apiRoute } from "@/lib/api/principal";
import { ForbiddenError } from "@/lib/errors";
import { MEDIA_TYPES, ownDataExport } from "@/lib/exports/stream";
import { attachmentDisposition } from "@/lib/http/range";

export const dynamic = "force-dynamic";

/** The signed-in user's own data as one JSON document (portability), streamed and audited. */
export const GET = apiRoute({ scope: "stats:read", allow: "session" }, async (_request, _ctx, principal) => {
  // A browser session only: a key (perhaps leaked, perhaps scoped narrowly) does not download everything.
  if (principal.kind !== "session") throw new ForbiddenError("Download your data while signed in");
  const body = await ownDataExport({ userId: principal.user.userId });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": MEDIA_TYPES.json,
      "Content-Disposition": attachmentDisposition(`nwu-my-data-${principal.user.address.toLowerCase()}-${stamp}.json`),
      "Cache-Control": "private, no-store, no-transform",
    },
  });
});
