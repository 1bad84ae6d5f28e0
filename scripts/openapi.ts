/**
 * Writes the OpenAPI document (as /api/v1/openapi.json serves it) to the file named by the first
 * argument, for tools that read files: `npm run lint:openapi` (redocly) and `npm run api:types`.
 */
import { writeFileSync } from "node:fs";

import { openApiDocument } from "@/lib/api/openapi";

const out = process.argv[2];
if (!out) throw new Error("usage: tsx scripts/openapi.ts <output.json>");
writeFileSync(out, `${JSON.stringify(openApiDocument("https://nwu.dev"), null, 2)}\n`);
