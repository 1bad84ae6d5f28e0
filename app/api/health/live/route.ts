import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness: the process is up and serving; touches nothing else. */
export const GET = route(() => {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }, { headers: { "Cache-Control": "no-store" } });
});
