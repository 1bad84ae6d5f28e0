import { openApiDocument } from "@/lib/api/openapi";
import { appOrigin } from "@/lib/http/origin";

export const dynamic = "force-dynamic";

/** The API described as OpenAPI 3.1, generated from the routes' own zod schemas. */
export function GET(request: Request) {
  return Response.json(openApiDocument(appOrigin(request)), { headers: { "Cache-Control": "public, max-age=300" } });
}
