import { checkReadiness } from "@/lib/health/readiness";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Readiness: 200 when the database answers with every migration applied, else 503 with the reason. */
export const GET = route(async () => {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.status === "unavailable" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
});
