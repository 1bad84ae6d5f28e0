import { z } from "zod";

import { contributionDetailSchema, contributionSchema } from "@/lib/contributions/fields";
import { listQuery } from "@/lib/contributions/schemas";
import { uploadFields } from "@/lib/contributions/upload-schema";
import { ADMIN_DATASET_NAMES } from "@/lib/exports/datasets";
import { exportQuery } from "@/lib/exports/schemas";
import { rewardsQuery, userContributionsQuery } from "@/lib/users/schemas";
import { entriesAnswerSchema, entriesQuery, previewAnswerSchema, rowsAnswerSchema, rowsQuery } from "@/lib/previews/schema";
import { unfinishedUploadSchema, uploadListQuery } from "@/lib/uploads/schemas";
import { notificationPaths, notificationSchemas, type DocTools } from "@/lib/notifications/openapi";
import { appealSchema } from "@/lib/verification/decision";
import { agentVoteBody, appealBody } from "@/lib/verification/schemas";
import { WEBHOOK_EVENT_TYPES } from "@/db/vocabulary";
import { createdWebhookSchema, deliveryListQuery, webhookBody, webhookDeliverySchema, webhookEndpointSchema, webhookListQuery } from "@/lib/webhooks/schemas";

import { assignmentListSchema, claimAnswerSchema, problemSchema, profileSchema, rewardSchema, rewardTotalsSchema, statsSchema, revealedVerificationSchema, sealedVerificationSchema, statusAnswer, voteResultSchema } from "./schemas";
import { ADDRESS_PATTERN_SOURCE } from "@/lib/address";

/**
 * OpenAPI 3.1, generated from the same zod schemas the routes validate with and the answers are
 * typed by (z.toJSONSchema), so the document cannot drift from the API. Request bodies are closed;
 * response objects list every field and `required`, but stay open: adding a field is not a
 * breaking change, and clients must ignore fields they do not know.
 */
type Json = Record<string, unknown>;

/** Objects zod closes (`additionalProperties: false`) are reopened: answers may gain fields. */
function reopen(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(reopen);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) if (!(k === "additionalProperties" && v === false)) out[k] = reopen(v);
  return out;
}

const jsonSchema = (s: z.ZodType, io: "input" | "output"): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Json;
  return rest;
};
const answer = (s: z.ZodType) => reopen(jsonSchema(s, "output")) as Json;
const closedBody = (s: z.ZodType, extra: Json = {}, required?: string[]) => {
  const json = jsonSchema(s, "input") as { properties?: Json; required?: string[] };
  return { ...json, properties: { ...json.properties, ...extra }, ...(required ? { required } : {}), additionalProperties: false };
};

function queryParameters(s: z.ZodObject): Json[] {
  const json = jsonSchema(s, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema: prop }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const page = (item: string, extra: Json = {}) => ({
  type: "object",
  properties: { ...extra, items: { type: "array", items: ref(item) }, next_cursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last" } },
  required: [...Object.keys(extra), "items", "next_cursor"],
});

const PROBLEM_TEXT: Record<string, string> = {
  "400": "Malformed parameter or body",
  "401": "Invalid, expired or revoked credentials, or none where they are required",
  "403": "The key lacks the scope, or the account the role",
  "404": "Unknown (or withheld) resource",
  "408": "The upload sent nothing for too long",
  "409": "Conflict with the current state",
  "412": "If-Match does not name the current ETag",
  "413": "Larger than the upload limit",
  "415": "Not multipart/form-data, or bytes that do not fit the declared file_type",
  "416": "Range outside the file",
  "429": "Rate limit of the key's plan exceeded (Retry-After)",
  "500": "Internal error (logged; quote request_id)",
  "503": "The database is unavailable right now (Retry-After)",
};
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    [...statuses, 500, 503].map((s) => [String(s), { description: PROBLEM_TEXT[String(s)], content: { "application/problem+json": { schema: ref("Problem") } } }]),
  );
/** What any API-key route may answer besides its own errors. */
const keyed = [401, 403, 429];

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const addressParam = { name: "address", in: "path", required: true, schema: { type: "string", pattern: ADDRESS_PATTERN_SOURCE } };
const ok = (description: string, body: Json, headers?: Json) => ({ description, ...(headers ? { headers } : {}), content: { "application/json": { schema: body } } });
const open = (scope: string) => ({ security: [{ apiKey: [scope] }, { session: [] }, {}] });
const signedIn = (scope: string) => ({ security: [{ apiKey: [scope] }, { session: [] }] });

const fileHeaders = ["Range", "If-Range", "If-None-Match", "If-Match"].map((name) => ({ name, in: "header", required: false, schema: { type: "string" } }));
const etag = { ETag: { description: "The CID, quoted (strong)", schema: { type: "string" } } };
/** The bytes, as the media type sniffed at upload (the contribution's media_type). */
const bytes = { content: { "*/*": { schema: { type: "string", format: "binary" } } } };
const fileResponses = (body: boolean) => ({
  "200": { description: "The bytes, with their exact Content-Length; ETag is the CID", headers: etag, ...(body ? bytes : {}) },
  "206": { description: "One range (Content-Range)", headers: etag, ...(body ? bytes : {}) },
  "304": { description: "If-None-Match names the ETag (weak comparison) or is *", headers: etag },
  ...problems(...keyed, 404, 412, 416),
});

const tools: DocTools = { answer, closedBody: (s) => closedBody(s), queryParameters, ref, ok: (d, b) => ok(d, b), problems, signedIn, keyed };

function components(): Json {
  return {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "An API key (nwu_ followed by 43 base62 characters), or for POST /api/v1/verifications the configured agent token." },
      session: { type: "apiKey", in: "cookie", name: "nwu_session", description: "The session cookie set by signing in with a wallet (SIWE)." },
    },
    schemas: {
      Problem: answer(problemSchema),
      Contribution: answer(contributionSchema),
      ContributionDetail: answer(contributionDetailSchema),
      ContributionStatus: answer(statusAnswer),
      ContributionPage: page("Contribution"),
      RevealedVerification: answer(revealedVerificationSchema),
      SealedVerification: answer(sealedVerificationSchema),
      Verification: { description: "Sealed while the contribution is open (the viewer's own vote excepted), revealed once it is decided", anyOf: [ref("RevealedVerification"), ref("SealedVerification")] },
      VerificationPage: page("Verification"),
      VoteResult: answer(voteResultSchema),
      ClaimAnswer: answer(claimAnswerSchema),
      Appeal: answer(appealSchema),
      PreviewAnswer: answer(previewAnswerSchema),
      EntriesAnswer: answer(entriesAnswerSchema),
      RowsAnswer: answer(rowsAnswerSchema),
      AssignmentList: answer(assignmentListSchema),
      Profile: answer(profileSchema),
      Stats: answer(statsSchema),
      Reward: answer(rewardSchema),
      RewardPage: page("Reward", { totals: answer(rewardTotalsSchema) }),
      UnfinishedUpload: answer(unfinishedUploadSchema),
      UnfinishedUploadPage: page("UnfinishedUpload"),
      WebhookEndpoint: answer(webhookEndpointSchema),
      WebhookEndpointWithSecret: answer(createdWebhookSchema),
      WebhookEndpointPage: page("WebhookEndpoint"),
      WebhookDelivery: answer(webhookDeliverySchema),
      WebhookDeliveryPage: page("WebhookDelivery"),
      WebhookEvent: {
        type: "object",
        description: "What every delivery's body holds (Standard Webhooks): the event's type, when it happened, and its data",
        properties: { type: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] }, timestamp: { type: "string", format: "date-time" }, data: { type: "object" } },
        required: ["type", "timestamp", "data"],
      },
      ...notificationSchemas(tools),
    },
  };
}

function contributionPaths(): Json {
  return {
    "/api/v1/contributions": {
      get: { operationId: "listContributions", summary: "Browse contributions", ...open("contributions:read"), parameters: queryParameters(listQuery), responses: { "200": ok("A page", ref("ContributionPage")), ...problems(400, ...keyed) } },
      post: {
        operationId: "uploadContribution",
        summary: "Upload a contribution (streamed into IPFS)",
        ...signedIn("contributions:write"),
        requestBody: { required: true, content: { "multipart/form-data": { schema: closedBody(uploadFields, { file: { type: "string", format: "binary" } }, ["title", "file_type", "file"]) } } },
        responses: {
          "201": ok("Created", ref("ContributionDetail"), { Location: { description: "The contribution's URL", schema: { type: "string", format: "uri-reference" } } }),
          ...problems(400, ...keyed, 408, 409, 413, 415),
        },
      },
    },
    "/api/v1/contributions/{id}": {
      get: { operationId: "getContribution", summary: "One contribution, with its reward", ...open("contributions:read"), parameters: [idParam], responses: { "200": ok("The contribution", ref("ContributionDetail")), ...problems(...keyed, 404) } },
    },
    "/api/v1/contributions/{id}/status": {
      get: { operationId: "getContributionStatus", summary: "Status, score and vote count", ...open("contributions:read"), parameters: [idParam], responses: { "200": ok("Status", ref("ContributionStatus")), ...problems(...keyed, 404) } },
    },
    "/api/v1/contributions/{id}/file": {
      get: { operationId: "downloadContributionFile", summary: "Download (Range and conditional requests, RFC 9110 §13–14)", ...open("contributions:read"), parameters: [idParam, ...fileHeaders], responses: fileResponses(true) },
      head: { operationId: "headContributionFile", summary: "The download's headers, without the bytes", ...open("contributions:read"), parameters: [idParam, ...fileHeaders], responses: fileResponses(false) },
    },
    "/api/v1/contributions/{id}/events": {
      get: {
        operationId: "streamContributionEvents",
        summary: "Live status (Server-Sent Events: `event: status` on every committed change)",
        ...open("contributions:read"),
        parameters: [idParam],
        responses: { "200": { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...problems(...keyed, 404) },
      },
    },
    "/api/v1/contributions/{id}/preview": {
      get: {
        operationId: "getContributionPreview",
        summary: "The file's preview: text, a table, an archive's file list, an array's header (computed once per file)",
        ...open("contributions:read"),
        parameters: [idParam],
        responses: { "200": ok("The preview", ref("PreviewAnswer")), ...problems(...keyed, 404) },
      },
    },
    "/api/v1/contributions/{id}/thumbnail": {
      get: {
        operationId: "getContributionThumbnail",
        summary: "An image's thumbnail, made on the server (WebP, at most 256 × 256; never the original)",
        ...open("contributions:read"),
        parameters: [idParam],
        responses: { "200": { description: "The thumbnail", content: { "image/webp": { schema: { type: "string", format: "binary" } } } }, ...problems(...keyed, 404) },
      },
    },
    "/api/v1/contributions/{id}/entries": {
      get: {
        operationId: "listContributionEntries",
        summary: "An archive's entries (paged), or with `path` one file inside it and its preview; never extracted",
        ...open("contributions:read"),
        parameters: [idParam, ...queryParameters(entriesQuery)],
        responses: { "200": ok("A page of entries, or one entry's preview", ref("EntriesAnswer")), ...problems(400, ...keyed, 404, 409) },
      },
    },
    "/api/v1/contributions/{id}/rows": {
      get: {
        operationId: "listContributionRows",
        summary: "A tabular file's rows, 100 at a time from `offset` (Parquet and Arrow by ranged reads; CSV/TSV/NDJSON/JSON within the preview's 8 MiB)",
        ...open("contributions:read"),
        parameters: [idParam, ...queryParameters(rowsQuery)],
        responses: { "200": ok("A page of rows", ref("RowsAnswer")), ...problems(400, ...keyed, 404) },
      },
    },
    "/api/v1/contributions/{id}/appeal": {
      post: {
        operationId: "appealContribution",
        summary: "Appeal a rejection (its owner, once, within APPEAL_WINDOW_DAYS): a fresh panel decides",
        ...signedIn("contributions:write"),
        parameters: [idParam],
        requestBody: { required: true, content: { "application/json": { schema: closedBody(appealBody) } } },
        responses: { "201": ok("Appealed: the contribution is `appealed` until the panel decides", ref("Appeal")), ...problems(400, ...keyed, 404, 409) },
      },
    },
    "/api/v1/contributions/{id}/verifications": {
      get: {
        operationId: "listContributionVerifications",
        summary: "Votes on a contribution",
        ...open("contributions:read"),
        parameters: [idParam, ...queryParameters(rewardsQuery.omit({ status: true }))],
        responses: { "200": ok("A page", ref("VerificationPage")), ...problems(400, ...keyed, 404) },
      },
    },
  };
}

const header = (name: string, description: string, required = false, schema: Json = { type: "string" }) => ({ name, in: "header", required, description, schema });
const tusResumable = header("Tus-Resumable", "The protocol version: 1.0.0", true, { const: "1.0.0" });
const described = (description: string) => ({ description, schema: { type: "string" } });
const tusProblem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });
/** What the tus requests may answer besides their own (Tus-Resumable missing: 412, as tus 1.0.0 says). */
const tusProblems = (statuses: Record<number, string>, body = true) => {
  const all: Record<number, string> = { 401: PROBLEM_TEXT["401"]!, 403: PROBLEM_TEXT["403"]!, 412: "Tus-Resumable missing", ...statuses, 500: PROBLEM_TEXT["500"]!, 503: PROBLEM_TEXT["503"]! };
  // A HEAD answer has no body.
  return Object.fromEntries(Object.entries(all).map(([s, d]) => [s, body ? tusProblem(d) : { description: d }]));
};
const finished = {
  "Upload-Contribution-Id": described("Once every byte is in: the contribution the upload became (the earlier one for a duplicate)"),
  "Upload-Duplicate": described("`true` when the bytes duplicate your own earlier upload (named by Upload-Contribution-Id); the partial file is removed"),
  Link: described('`</api/v1/contributions/{id}>; rel="related"` once complete'),
  Location: described("`/api/v1/contributions/{id}` once complete"),
};
const tusOptionsOperation = (operationId: string, parameters: Json[] = []) => ({
  operationId,
  summary: "tus discovery: Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm",
  ...open("contributions:write"),
  parameters,
  responses: {
    // Only a key that is sent and is not valid is refused.
    ...problems(401, 403),
    "204": {
      description: "The server's tus capabilities",
      headers: { "Tus-Version": described("1.0.0"), "Tus-Extension": described("creation,termination,expiration,checksum"), "Tus-Max-Size": described("MAX_UPLOAD_BYTES"), "Tus-Checksum-Algorithm": described("sha1,sha256,sha512,md5") },
    },
  },
});

/** Resumable uploads: the tus 1.0.0 protocol (https://tus.io/protocols/resumable-upload), and the list of yours. */
function uploadPaths(): Json {
  const octets = { content: { "application/offset+octet-stream": { schema: { type: "string", format: "binary" } } } };
  return {
    "/api/v1/uploads": {
      get: { operationId: "listUploads", summary: "Your unfinished resumable uploads, newest first", ...signedIn("contributions:write"), parameters: queryParameters(uploadListQuery), responses: { "200": ok("A page", ref("UnfinishedUploadPage")), ...problems(400, ...keyed) } },
      post: {
        operationId: "createUpload",
        summary: "tus creation: the contribution's fields in Upload-Metadata (title, description, file_type, metadata, filename), checked before a byte is sent; counts as one API request",
        ...signedIn("contributions:write"),
        parameters: [
          tusResumable,
          header("Upload-Length", "The file's size in bytes (required: Upload-Defer-Length is not offered)", true),
          header("Upload-Metadata", "Comma-separated `key base64(value)` pairs: title, description, file_type (code, dataset, document), metadata (a JSON object), filename"),
        ],
        responses: {
          "201": { description: "Created; PATCH the bytes to Location", headers: { Location: described("The upload's URL"), "Upload-Expires": described("When an unfinished upload is removed") } },
          ...tusProblems({ 400: "Field errors (fieldErrors), a missing Upload-Length, malformed Upload-Metadata, bytes sent with the creation", 413: "Upload-Length over the upload limit, or over your unfinished bytes (MAX_PENDING_UPLOAD_BYTES)", 429: "Too many unfinished uploads (MAX_ACTIVE_UPLOADS), or the key's rate limit" }),
        },
      },
      options: tusOptionsOperation("uploadOptions"),
    },
    "/api/v1/uploads/{id}": {
      head: {
        operationId: "headUpload",
        summary: "Where to resume (Upload-Offset); once complete, the contribution (imported now if the final PATCH's answer was lost). Not metered.",
        ...signedIn("contributions:write"),
        parameters: [idParam, tusResumable],
        responses: { "200": { description: "The upload's offset and length", headers: { "Upload-Offset": described("Bytes the server holds"), "Upload-Length": described("The declared size"), ...finished } }, ...tusProblems({ 404: "No such upload of yours", 410: "Expired", 415: "The bytes do not fit the file_type" }, false) },
      },
      patch: {
        operationId: "patchUpload",
        summary: "The next bytes from Upload-Offset; the last ones import the file and name the contribution. Not metered.",
        ...signedIn("contributions:write"),
        parameters: [idParam, tusResumable, header("Upload-Offset", "Where these bytes start: the server's offset", true), header("Upload-Checksum", "`<algorithm> <base64 digest>` of this request's bytes (sha1, sha256, sha512, md5)")],
        requestBody: { required: true, ...octets },
        responses: {
          "204": { description: "Stored", headers: { "Upload-Offset": described("The new offset"), "Upload-Expires": described("When an unfinished upload is removed"), ...finished } },
          ...tusProblems({ 400: "Malformed Upload-Checksum, an algorithm not offered, or the file's fields refused on completion", 403: "Upload-Offset or Content-Type missing, or the key lacks the scope", 404: "No such upload of yours", 409: "Upload-Offset is not the server's offset", 410: "Expired", 413: "More bytes than Upload-Length", 415: "Content-Type is not application/offset+octet-stream, or the bytes do not fit the file_type", 460: "Checksum mismatch: nothing of this request was kept" }),
        },
      },
      delete: { operationId: "terminateUpload", summary: "tus termination: the partial bytes and the upload are removed (a finished upload's contribution stays)", ...signedIn("contributions:write"), parameters: [idParam, tusResumable], responses: { "204": { description: "Removed" }, ...tusProblems({ 404: "No such upload of yours" }) } },
      options: tusOptionsOperation("uploadItemOptions", [idParam]),
    },
  };
}

/** Your webhook endpoints (paid plans; admins also platform-wide) and their delivery logs. */
function webhookPaths(): Json {
  const scope = signedIn("webhooks:manage");
  const deliveryId = { name: "deliveryId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  return {
    "/api/v1/webhooks": {
      get: { operationId: "listWebhooks", summary: "Your webhook endpoints, newest first", ...scope, parameters: queryParameters(webhookListQuery), responses: { "200": ok("A page", ref("WebhookEndpointPage")), ...problems(400, ...keyed) } },
      post: {
        operationId: "createWebhook",
        summary: "Register an endpoint (paid plans; `platform` for admins). The signing secret (whsec_…) is in this answer only",
        ...scope,
        requestBody: { required: true, content: { "application/json": { schema: closedBody(webhookBody) } } },
        responses: { "201": ok("Registered", ref("WebhookEndpointWithSecret"), { Location: { description: "The endpoint's URL", schema: { type: "string" } } }), ...problems(400, ...keyed, 409) },
      },
    },
    "/api/v1/webhooks/{id}": {
      get: { operationId: "getWebhook", summary: "One of your endpoints", ...scope, parameters: [idParam], responses: { "200": ok("The endpoint", ref("WebhookEndpoint")), ...problems(...keyed, 404) } },
      delete: { operationId: "deleteWebhook", summary: "Delete the endpoint and its delivery log", ...scope, parameters: [idParam], responses: { "204": { description: "Deleted" }, ...problems(...keyed, 404) } },
    },
    "/api/v1/webhooks/{id}/rotate": {
      post: { operationId: "rotateWebhookSecret", summary: "A new signing secret, in this answer only; the previous one keeps signing beside it for 24 h", ...scope, parameters: [idParam], responses: { "200": ok("Rotated", ref("WebhookEndpointWithSecret")), ...problems(...keyed, 404) } },
    },
    "/api/v1/webhooks/{id}/enable": {
      post: { operationId: "enableWebhook", summary: "Switch a disabled endpoint back on: what waited in the outbox (72 h) is delivered, in order", ...scope, parameters: [idParam], responses: { "200": ok("Enabled", ref("WebhookEndpoint")), ...problems(...keyed, 404) } },
    },
    "/api/v1/webhooks/{id}/deliveries": {
      get: { operationId: "listWebhookDeliveries", summary: "The endpoint's delivery log, newest first", ...scope, parameters: [idParam, ...queryParameters(deliveryListQuery)], responses: { "200": ok("A page", ref("WebhookDeliveryPage")), ...problems(400, ...keyed, 404) } },
    },
    "/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
      post: { operationId: "retryWebhookDelivery", summary: "Send the delivery again now, with the same webhook-id", ...scope, parameters: [idParam, deliveryId], responses: { "202": { description: "Queued" }, ...problems(...keyed, 404) } },
    },
  };
}

/** OpenAPI 3.1 `webhooks`: what we POST to your endpoints, one entry per event type. */
function outgoingWebhooks(): Json {
  const header = (name: string, description: string) => ({ name, in: "header", required: true, description, schema: { type: "string" } });
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(".", "_")}`,
          summary: `The ${type} event`,
          // Authenticated by its signature headers, which OpenAPI security schemes cannot express.
          security: [],
          parameters: [
            header("webhook-id", "The event's id: the same on every attempt (deduplicate on it)"),
            header("webhook-timestamp", "Seconds since the epoch when this attempt was signed"),
            header("webhook-signature", "Space-separated `v1,<base64 HMAC-SHA256>` signatures of `id.timestamp.body` (two for a day after a secret rotation)"),
          ],
          requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEvent") } } },
          responses: { "200": { description: "Any 2xx: delivered. Anything else, a timeout (10 s) or a redirect: retried with backoff for 24 h" } },
        },
      },
    ]),
  );
}

function otherPaths(): Json {
  const user = (operationId: string, summary: string, body: Json, query?: z.ZodObject) => ({
    get: { operationId, summary, ...open("stats:read"), parameters: [addressParam, ...(query ? queryParameters(query) : [])], responses: { "200": ok(summary, body), ...problems(400, ...keyed, 404) } },
  });
  return {
    "/api/v1/verifications": {
      post: {
        operationId: "castAgentVote",
        summary: "An agent's vote (API key of a verifier or agent account, or the agent token)",
        security: [{ apiKey: ["verifications:write"] }],
        requestBody: { required: true, content: { "application/json": { schema: closedBody(agentVoteBody) } } },
        responses: { "201": ok("Recorded", ref("VoteResult")), ...problems(400, ...keyed, 404, 409) },
      },
    },
    "/api/v1/assignments": {
      get: { operationId: "listAssignments", summary: "Your live review assignments (verifiers)", ...signedIn("verifications:write"), responses: { "200": ok("Live assignments, oldest first", ref("AssignmentList")), ...problems(...keyed) } },
      post: {
        operationId: "claimAssignment",
        summary: "Your next review assignment, drawn at random among open work that needs reviewers",
        ...signedIn("verifications:write"),
        responses: { "201": ok("Assigned", ref("ClaimAnswer")), "200": ok("Nothing to assign (or you hold the most allowed)", ref("ClaimAnswer")), ...problems(...keyed) },
      },
    },
    "/api/v1/assignments/{id}": {
      delete: { operationId: "skipAssignment", summary: "Skip: back to the pool, not offered to you again", ...signedIn("verifications:write"), parameters: [idParam], responses: { "204": { description: "Skipped" }, ...problems(...keyed, 404) } },
    },
    "/api/v1/users/{address}": user("getUserProfile", "Public profile", ref("Profile")),
    "/api/v1/users/{address}/stats": user("getUserStats", "Contribution and reward statistics", ref("Stats")),
    "/api/v1/users/{address}/rewards": user("listUserRewards", "Reward totals and a page of rewards", ref("RewardPage"), rewardsQuery),
    "/api/v1/users/{address}/contributions": user("listUserContributions", "A contributor's contributions", ref("ContributionPage"), userContributionsQuery),
  };
}

/** Exports: streamed downloads for signed-in browsers only (an API key is refused with 403). */
function exportPaths(): Json {
  const sessionOnly = { security: [{ session: [] }] };
  const csv = { "text/csv": { schema: { type: "string", description: "UTF-8, RFC 4180: a header row, CRLF line ends; cells starting with = + - @ tab or CR are prefixed with '" } } };
  const ndjson = { "application/x-ndjson": { schema: { type: "string", description: "One JSON object a line" } } };
  const attachment = { "Content-Disposition": described("attachment; filename=\"nwu-….csv\"") };
  return {
    "/api/v1/admin/exports/{dataset}": {
      get: {
        operationId: "exportDataset",
        summary: "Admins: a dataset as CSV or NDJSON, oldest first, filtered by created_at range (`to` as a date includes that day) and status; streamed; audited",
        ...sessionOnly,
        parameters: [{ name: "dataset", in: "path", required: true, schema: { type: "string", enum: ADMIN_DATASET_NAMES } }, ...queryParameters(exportQuery)],
        responses: { "200": { description: "The rows (votes: revealed ones only)", headers: attachment, content: { ...csv, ...ndjson } }, ...problems(400, 401, 403, 404) },
      },
    },
    "/api/v1/me/export": {
      get: {
        operationId: "exportOwnData",
        summary: "Your own data as one JSON document (profile, contributions, your votes, rewards, payments, API key metadata — never secrets); streamed; audited",
        ...sessionOnly,
        responses: { "200": { description: "Your data", headers: attachment, content: { "application/json": { schema: { type: "object" } } } }, ...problems(401, 403) },
      },
    },
  };
}

export function openApiDocument(serverUrl: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "NWU Protocol API",
      version: "1.0.0",
      description:
        "Contributions stored on IPFS, verified by AI and human verifiers, rewarded in NWU tokens. Authenticate with `Authorization: Bearer nwu_…` (API keys, rate limited per plan; `RateLimit-*` headers on every answer) or a signed-in session cookie. Lists are newest first with opaque `cursor` pagination (`limit` ≤ 100). Errors are RFC 9457 problem details. Answers may gain fields in any version: clients must ignore fields they do not know.",
      license: { name: "Proprietary (all rights reserved)", url: `${serverUrl}/docs/api` },
    },
    servers: [{ url: serverUrl }],
    components: components(),
    paths: { ...contributionPaths(), ...uploadPaths(), ...webhookPaths(), ...otherPaths(), ...exportPaths(), ...notificationPaths(tools) },
    webhooks: outgoingWebhooks(),
  };
}
