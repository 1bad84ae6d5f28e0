import { route } from "@/lib/http/route";
import { addressParam } from "@/lib/users/schemas";
import { getUserProfile } from "@/lib/users/stats";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ address: string }> };

/** A contributor's public profile. */
export const GET = route<Ctx>(async (_request, { params }) => Response.json(await getUserProfile(addressParam((await params).address))));
