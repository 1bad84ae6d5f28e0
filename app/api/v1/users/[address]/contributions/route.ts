import { listContributions } from "@/lib/contributions/queries";
import { parseQuery } from "@/lib/http/query";
import { apiRoute, viewerOf } from "@/lib/api/principal";
import { decodeCursor } from "@/lib/pagination";
import { addressParam, userContributionsQuery } from "@/lib/users/schemas";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** A contributor's contributions, newest first, paginated. */
export const GET = apiRoute<Ctx>({ scope: "stats:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const owner = addressParam((await params).address);
  const query = parseQuery(userContributionsQuery, new URL(request.url).searchParams);
  const page = await listContributions({ ...query, owner, cursor: decodeCursor(query.cursor) }, viewerOf(principal, request));
  return Response.json({ items: page.items, next_cursor: page.nextCursor });
});
