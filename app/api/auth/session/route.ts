import { checksum } from "@/lib/checksum";

import { requireUser } from "@/lib/auth/authorize";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The signed-in wallet: { address, roles } or 401. */
export const GET = route(async (request) => {
  const user = await requireUser(request);
  return Response.json(
    { address: checksum(user.address), roles: user.roles, chainId: user.chainId },
    { headers: { "Cache-Control": "no-store" } },
  );
});
