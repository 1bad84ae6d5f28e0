import { parseQuery } from "@/lib/http/query";
import { apiRoute } from "@/lib/api/principal";
import { decodeCursor } from "@/lib/pagination";
import { addressParam, rewardsQuery } from "@/lib/users/schemas";
import { getUserRewards } from "@/lib/users/stats";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** Reward totals by status and a paginated list (newest first): two statements. */
export const GET = apiRoute<Ctx>({ scope: "stats:read", allow: "anonymous" }, async (request, { params }) => {
  const address = addressParam((await params).address);
  const query = parseQuery(rewardsQuery, new URL(request.url).searchParams);
  const { totals, page } = await getUserRewards({ address, status: query.status, cursor: decodeCursor(query.cursor), limit: query.limit });
  return Response.json({ totals, items: page.items, next_cursor: page.nextCursor });
});
