import { actingUserId, apiRoute } from "@/lib/api/principal";
import { handleTus, tusOptions } from "@/lib/api/tus";
import { parseQuery } from "@/lib/http/query";
import { decodeCursor } from "@/lib/pagination";
import { listUnfinishedUploads, toApiUpload } from "@/lib/uploads/queries";
import { uploadListQuery } from "@/lib/uploads/schemas";

export const dynamic = "force-dynamic";

/** Your unfinished resumable uploads, newest first, with the bytes the server holds of each. */
export const GET = apiRoute({ scope: "contributions:write", allow: "session" }, async (request, _ctx, principal) => {
  const query = parseQuery(uploadListQuery, new URL(request.url).searchParams);
  const page = await listUnfinishedUploads(actingUserId(principal), { limit: query.limit, cursor: decodeCursor(query.cursor) });
  return Response.json({ items: page.items.map(toApiUpload), next_cursor: page.nextCursor });
});

/** tus creation: the contribution's fields in Upload-Metadata, checked before a byte is sent (counts as one API request). */
export const POST = apiRoute({ scope: "contributions:write", allow: "session" }, (request, _ctx, principal) => handleTus(request, actingUserId(principal)));

/** tus discovery: version, extensions, maximum size, checksum algorithms. */
export const OPTIONS = apiRoute({ scope: "contributions:write", allow: "anonymous", metered: false }, (request) => tusOptions(request));
