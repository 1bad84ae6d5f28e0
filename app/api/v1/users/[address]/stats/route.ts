import { apiRoute } from "@/lib/api/principal";
import { jsonResponse } from "@/lib/http/json-response";
import { addressParam } from "@/lib/users/schemas";
import { getUserStats } from "@/lib/users/stats";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** Contribution counts, average quality, reputation and reward totals — aggregated in SQL, one statement. */
export const GET = apiRoute<Ctx>({ scope: "stats:read", allow: "anonymous" }, async (_request, { params }) => jsonResponse(await getUserStats(addressParam((await params).address))));
