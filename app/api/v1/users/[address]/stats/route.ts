import { route } from "@/lib/http/route";
import { addressParam } from "@/lib/users/schemas";
import { getUserStats } from "@/lib/users/stats";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** Contribution counts, average quality, reputation and reward totals — aggregated in SQL, one statement. */
export const GET = route<Ctx>(async (_request, { params }) => Response.json(await getUserStats(addressParam((await params).address))));
