import { cacheStats } from "@/lib/cache";
import { checkReadiness } from "@/lib/health/readiness";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness and readiness in one answer (and the query cache's counters): 503 with a reason while the database is not usable. */
export const GET = route(async () => {
  const readiness = await checkReadiness();
  return Response.json(
    { ...readiness, live: true, uptimeSeconds: Math.round(process.uptime()), cache: cacheStats() },
    { status: readiness.status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } },
  );
});
