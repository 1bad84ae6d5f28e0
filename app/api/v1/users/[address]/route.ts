import { apiRoute } from "@/lib/api/principal";
import { addressParam } from "@/lib/users/schemas";
import { getUserProfile } from "@/lib/users/stats";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** A contributor's public profile. */
export const GET = apiRoute<Ctx>({ scope: "stats:read", allow: "anonymous" }, async (_request, { params }) => Response.json(await getUserProfile(addressParam((await params).address))));
