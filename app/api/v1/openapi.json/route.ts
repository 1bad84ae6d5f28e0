import { openApiDocument } from "@/lib/api/openapi";
import { appOrigin } from "@/lib/http/origin";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The API described as OpenAPI 3.1, generated from the routes' own zod schemas. */
export const GET = route((request) => Response.json(openApiDocument(appOrigin(request)), { headers: { "Cache-Control": "public, max-age=300" } }));
