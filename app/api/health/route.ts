import { checkReadiness } from "@/lib/health/readiness";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness and readiness in one answer: 503 with a reason while the database is not usable. */
export const GET = route(async () => {
  const readiness = await checkReadiness();
  return Response.json(
    { ...readiness, live: true, uptimeSeconds: Math.round(process.uptime()) },
    { status: readiness.status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } },
  );
});
