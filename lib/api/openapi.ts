import { z } from "zod";

import { listQuery } from "@/lib/contributions/schemas";
import { uploadFields } from "@/lib/contributions/upload-schema";
import { rewardsQuery, userContributionsQuery } from "@/lib/users/schemas";
import { agentVoteBody } from "@/lib/verification/schemas";

/**
 * OpenAPI 3.1, generated from the same zod schemas the routes validate with (z.toJSONSchema), so
 * the document cannot drift from what the API accepts.
 */
type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: "input" | "output" = "input") => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Json;
  return rest;
};

function queryParameters(s: z.ZodObject): Json[] {
  const json = schema(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema: prop }));
}

const problem = { description: "Problem details (RFC 9457)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
const errors = { "400": problem, "401": problem, "403": problem, "404": problem, "429": problem };
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const addressParam = { name: "address", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } };
const page = (item: string) => ({ type: "object", properties: { items: { type: "array", items: { $ref: `#/components/schemas/${item}` } }, next_cursor: { type: ["string", "null"] } } });
const ok = (description: string, body: Json) => ({ description, content: { "application/json": { schema: body } } });
const keyed = (scope: string) => ({ security: [{ apiKey: [scope] }, { session: [] }, {}] });

export function openApiDocument(serverUrl: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "NWU Protocol API",
      version: "1.0.0",
      description:
        "Contributions stored on IPFS, verified by AI and human verifiers, rewarded in NWU tokens. Authenticate with `Authorization: Bearer nwu_…` (API keys, rate limited per plan; `RateLimit-*` headers on every answer) or a signed-in session cookie. Lists are newest first with opaque `cursor` pagination (`limit` ≤ 100).",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key: nwu_ followed by 43 base62 characters." },
        session: { type: "apiKey", in: "cookie", name: "nwu_session" },
      },
      schemas: {
        Problem: {
          type: "object",
          properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, detail: { type: "string" }, error: { type: "string" }, instance: { type: "string" }, fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } },
        },
        Contribution: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            owner: { type: "string" },
            cid: { type: "string" },
            sha256: { type: "string" },
            file_name: { type: "string" },
            file_type: { enum: ["code", "dataset", "document"] },
            media_type: { type: "string" },
            size: { type: "integer" },
            title: { type: "string" },
            description: { type: "string" },
            metadata: { type: "object" },
            status: { enum: ["pending", "verifying", "verified", "rejected", "halted", "paused"] },
            quality_score: { type: ["number", "null"] },
            verification_count: { type: "integer" },
            duplicate_of: { type: ["string", "null"] },
            created_at: { type: "string", format: "date-time" },
          },
        },
        Verification: { type: "object", properties: { id: { type: "string" }, verifier: { type: ["string", "null"] }, agent_id: { type: ["string", "null"] }, vote_score: { type: "integer" }, sub_scores: { type: "object" }, reasoning: { type: "string" } } },
        Reward: { type: "object", properties: { id: { type: "string" }, contribution_id: { type: "string" }, amount: { type: "string" }, status: { enum: ["pending", "processing", "distributed", "failed"] }, tx_hash: { type: ["string", "null"] } } },
      },
    },
    paths: {
      "/api/v1/contributions": {
        get: { summary: "Browse contributions", ...keyed("contributions:read"), parameters: queryParameters(listQuery), responses: { "200": ok("A page", page("Contribution")), ...errors } },
        post: {
          summary: "Upload a contribution (streamed into IPFS)",
          ...keyed("contributions:write"),
          requestBody: {
            required: true,
            content: { "multipart/form-data": { schema: { ...schema(uploadFields), properties: { ...(schema(uploadFields).properties as Json), file: { type: "string", format: "binary" } }, required: ["title", "file_type", "file"] } } },
          },
          responses: { "201": ok("Created", { $ref: "#/components/schemas/Contribution" }), "409": problem, "413": problem, "415": problem, ...errors },
        },
      },
      "/api/v1/contributions/{id}": { get: { summary: "One contribution", ...keyed("contributions:read"), parameters: [idParam], responses: { "200": ok("The contribution", { $ref: "#/components/schemas/Contribution" }), ...errors } } },
      "/api/v1/contributions/{id}/status": { get: { summary: "Status, score and votes", ...keyed("contributions:read"), parameters: [idParam], responses: { "200": ok("Status", { type: "object" }), ...errors } } },
      "/api/v1/contributions/{id}/file": {
        get: {
          summary: "Download (Range and conditional requests, RFC 9110 §13–14)",
          ...keyed("contributions:read"),
          parameters: [idParam, ...["Range", "If-Range", "If-None-Match", "If-Match"].map((name) => ({ name, in: "header", schema: { type: "string" } }))],
          responses: {
            "200": { description: "The bytes, with their exact Content-Length; ETag is the CID" },
            "206": { description: "A range" },
            "304": { description: "If-None-Match names the ETag (weak comparison) or is *" },
            "412": problem,
            "416": problem,
            ...errors,
          },
        },
      },
      "/api/v1/contributions/{id}/events": { get: { summary: "Live status (Server-Sent Events)", ...keyed("contributions:read"), parameters: [idParam], responses: { "200": { description: "text/event-stream" }, ...errors } } },
      "/api/v1/contributions/{id}/verifications": {
        get: { summary: "Votes on a contribution", ...keyed("contributions:read"), parameters: [idParam, ...queryParameters(rewardsQuery.omit({ status: true }))], responses: { "200": ok("A page", page("Verification")), ...errors } },
      },
      "/api/v1/verifications": {
        post: { summary: "An agent's vote", security: [{ apiKey: ["verifications:write"] }], requestBody: { required: true, content: { "application/json": { schema: schema(agentVoteBody) } } }, responses: { "201": ok("Recorded", { type: "object" }), "409": problem, ...errors } },
      },
      "/api/v1/users/{address}": { get: { summary: "Public profile", ...keyed("stats:read"), parameters: [addressParam], responses: { "200": ok("Profile", { type: "object" }), ...errors } } },
      "/api/v1/users/{address}/stats": { get: { summary: "Contribution and reward statistics", ...keyed("stats:read"), parameters: [addressParam], responses: { "200": ok("Stats", { type: "object" }), ...errors } } },
      "/api/v1/users/{address}/rewards": {
        get: { summary: "Reward totals and list", ...keyed("stats:read"), parameters: [addressParam, ...queryParameters(rewardsQuery)], responses: { "200": ok("Totals and a page", { type: "object", properties: { totals: { type: "object" }, ...(page("Reward").properties as Json) } }), ...errors } },
      },
      "/api/v1/users/{address}/contributions": {
        get: { summary: "A contributor's contributions", ...keyed("stats:read"), parameters: [addressParam, ...queryParameters(userContributionsQuery)], responses: { "200": ok("A page", page("Contribution")), ...errors } },
      },
    },
  };
}
