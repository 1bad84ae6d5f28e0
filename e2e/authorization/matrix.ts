import type { APIRequestContext } from "@playwright/test";

import { DEMO_ACCOUNTS } from "../../db/demo-accounts";
import { signedSiweFor } from "../support/api-session";

/**
 * The authorization matrix: for every route handler, page and server action, the answer each
 * persona must get. Keys are checked against what the app really exposes (inventory.ts), both ways.
 */
export const PERSONAS = {
  contributor: DEMO_ACCOUNTS[3],
  other: DEMO_ACCOUNTS[4],
  verifier: DEMO_ACCOUNTS[1],
  admin: DEMO_ACCOUNTS[0],
} as const;

export type Persona = "anonymous" | keyof typeof PERSONAS;
/** The status each persona must get; a list where the outcome depends on data (e.g. 200 or 409). */
export type Expectation = Record<Persona, number | readonly number[]>;

export const everyone = (status: number): Expectation => ({ anonymous: status, contributor: status, other: status, verifier: status, admin: status });
export const SIGNED_IN: Expectation = { anonymous: 401, contributor: 200, other: 200, verifier: 200, admin: 200 };
/** Only `contributor`, the owner, gets `status`; everyone else is told it does not exist. */
export const OWNER_ONLY = (status: number): Expectation => ({ anonymous: 401, contributor: status, other: 404, verifier: 404, admin: 404 });
export const ADMIN_ONLY: Expectation = { anonymous: 401, contributor: 403, other: 403, verifier: 403, admin: 200 };

export interface CallContext {
  baseURL: string;
  /** A contribution uploaded by `contributor` before the matrix runs. */
  contributionId: string;
  /** A new contribution by `contributor`, for calls that change it. */
  freshContribution(): Promise<string>;
  /** A new contribution by `contributor`, assigned to the calling persona when they are a verifier. */
  assignedContribution(api: APIRequestContext): Promise<string>;
  /** A new contribution by `contributor`, halted by the admin. */
  heldContribution(): Promise<string>;
  /** An API key of `contributor`. */
  contributorKeyId: string;
  /** Unfinished resumable uploads of `contributor` (URL paths): one to PATCH, one to terminate. */
  uploadPath: string;
  spareUploadPath: string;
  /** Webhook endpoints of `contributor` (Pro), by id: one to read and rotate, two to delete (the route, the action). */
  webhookId: string;
  spareWebhookIds: [string, string];
}

export interface Case {
  expect: Expectation;
  /** Run each call on a throw-away session of the persona (for calls that end or rotate sessions). */
  fresh?: boolean;
  /** Request body (routes) or the action's arguments. */
  body?: (ctx: CallContext, api: APIRequestContext) => Promise<unknown> | unknown;
  /** Multipart form body (uploads). */
  multipart?: (ctx: CallContext) => Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
  /** Request headers (tus requests). */
  headers?: Record<string, string>;
  /** The concrete URL for a route with [params]. */
  url?: (ctx: CallContext) => string;
  /** A response that never ends (Server-Sent Events): only its status is read. */
  stream?: boolean;
  /** Undo what a successful call changed, so later rows see the seeded state. */
  after?: (api: APIRequestContext, call: (args: unknown[]) => Promise<{ ok: boolean }>) => Promise<void>;
}

/**
 * Reviewed list of what anonymous callers may use. The matrix test fails if any other entry
 * answers anonymous callers with a success.
 */
export const PUBLIC_ENTRIES = [
  "GET /api/health",
  "GET /api/health/live",
  "GET /api/health/ready",
  "GET /api/auth/nonce",
  "POST /api/auth/verify",
  "POST /api/auth/logout",
  "PAGE /",
  "PAGE /status",
  "GET /api/v1/contributions",
  // tus discovery (versions, extensions, limits): nothing of anyone's.
  "OPTIONS /api/v1/uploads",
  "OPTIONS /api/v1/uploads/[id]",
  "GET /api/v1/contributions/[id]",
  "GET /api/v1/contributions/[id]/file",
  "HEAD /api/v1/contributions/[id]/file",
  "GET /api/v1/contributions/[id]/status",
  "GET /api/v1/contributions/[id]/events",
  "PAGE /contributions",
  "PAGE /contributions/[id]",
  "GET /api/v1/contributions/[id]/verifications",
  "GET /api/v1/contributions/[id]/preview",
  "GET /api/v1/users/[address]",
  "GET /api/v1/users/[address]/stats",
  "GET /api/v1/users/[address]/rewards",
  "GET /api/v1/users/[address]/contributions",
  "GET /api/v1/openapi.json",
  "PAGE /pricing",
  "PAGE /docs/api",
  "PAGE /blank",
  // Demo mode's role switch (e2e runs in demo mode; outside it the route is a 404 for everyone).
  "POST /api/demo/session",
  // A mail's links: a page with a button (nothing changes on opening it); the token is the proof.
  "PAGE /notifications/confirm",
  "PAGE /notifications/unsubscribe",
] as const;

export const VERIFIER_ONLY: Expectation = { anonymous: 401, contributor: 403, other: 403, verifier: 200, admin: 200 };
const OWNER_ONLY_BUT_NOT_REJECTED: Expectation = { anonymous: 401, contributor: 409, other: 403, verifier: 403, admin: 403 };
const user = (suffix = "") => () => `/api/v1/users/${PERSONAS.contributor.address}${suffix}`;
const reason = "matrix check";

const contribution = (suffix = "") => (ctx: CallContext) => `/api/v1/contributions/${ctx.contributionId}${suffix}`;

export const MATRIX: Record<string, Case> = {
  "GET /api/health": { expect: everyone(200) },
  "GET /api/health/live": { expect: everyone(200) },
  "GET /api/health/ready": { expect: everyone(200) },
  "GET /api/auth/nonce": { expect: everyone(200) },
  // A correctly signed message from a brand-new wallet signs anyone in; fresh so no persona's session rotates.
  "POST /api/auth/verify": { expect: everyone(200), fresh: true, body: ({ baseURL }) => freshSignedMessage(baseURL) },
  "POST /api/auth/logout": { expect: everyone(200), fresh: true },
  "GET /api/auth/session": { expect: SIGNED_IN },
  // Demo mode only: anyone may sign in as a demo role; fresh so no persona's session is replaced.
  "POST /api/demo/session": { expect: everyone(200), fresh: true, body: () => ({ role: "contributor" }) },

  "GET /api/v1/contributions": { expect: everyone(200) },
  "GET /api/v1/uploads": { expect: SIGNED_IN },
  "POST /api/v1/uploads": {
    // 429 once a persona holds MAX_ACTIVE_UPLOADS unfinished uploads (the contributor holds two fixtures).
    expect: { anonymous: 401, contributor: [201, 429], other: [201, 429], verifier: [201, 429], admin: [201, 429] },
    headers: { "tus-resumable": "1.0.0", "upload-length": "64", "upload-metadata": `title ${btoa("Matrix upload")},file_type ${btoa("document")},filename ${btoa("note.md")}` },
  },
  "OPTIONS /api/v1/uploads": { expect: everyone(204) },
  "OPTIONS /api/v1/uploads/[id]": { expect: everyone(204), url: (ctx) => ctx.uploadPath },
  // Only the owner sees an upload; to anyone else it does not exist.
  "HEAD /api/v1/uploads/[id]": { expect: { anonymous: 401, contributor: 200, other: 404, verifier: 404, admin: 404 }, headers: { "tus-resumable": "1.0.0" }, url: (ctx) => ctx.uploadPath },
  "PATCH /api/v1/uploads/[id]": {
    expect: { anonymous: 401, contributor: 204, other: 404, verifier: 404, admin: 404 },
    headers: { "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" },
    body: () => Buffer.from("# Matrix\n"),
    url: (ctx) => ctx.uploadPath,
  },
  "DELETE /api/v1/uploads/[id]": { expect: { anonymous: 401, contributor: 204, other: 404, verifier: 404, admin: 404 }, headers: { "tus-resumable": "1.0.0" }, url: (ctx) => ctx.spareUploadPath },
  "POST /api/v1/contributions": {
    expect: { anonymous: 401, contributor: 201, other: 201, verifier: 201, admin: 201 },
    multipart: () => ({
      title: "Matrix upload",
      file_type: "document",
      file: { name: "note.md", mimeType: "text/markdown", buffer: Buffer.from(`# Note\n\n${Math.random()}\n`) },
    }),
  },
  "GET /api/v1/contributions/[id]": { expect: everyone(200), url: contribution() },
  "GET /api/v1/contributions/[id]/file": { expect: everyone(200), url: contribution("/file") },
  "HEAD /api/v1/contributions/[id]/file": { expect: everyone(200), url: contribution("/file") },
  "GET /api/v1/contributions/[id]/status": { expect: everyone(200), url: contribution("/status") },
  "GET /api/v1/contributions/[id]/events": { expect: everyone(200), url: contribution("/events"), stream: true },
  "GET /api/v1/contributions/[id]/verifications": { expect: everyone(200), url: contribution("/verifications") },
  "GET /api/v1/contributions/[id]/preview": { expect: everyone(200), url: contribution("/preview") },
  // The seeded contribution is a document, not an archive: everyone is told there are no entries.
  "GET /api/v1/contributions/[id]/entries": { expect: everyone(404), url: contribution("/entries") },
  // Nor a table: no rows.
  "GET /api/v1/contributions/[id]/rows": { expect: everyone(404), url: contribution("/rows") },
  // Nor an image: no thumbnail.
  "GET /api/v1/contributions/[id]/thumbnail": { expect: everyone(404), url: contribution("/thumbnail") },
  // The owner's alone; the seeded contribution is not rejected, so the owner is refused for that (409), everyone else for not owning it.
  "POST /api/v1/contributions/[id]/appeal": { expect: OWNER_ONLY_BUT_NOT_REJECTED, url: contribution("/appeal"), body: () => ({ statement: "Matrix appeal" }) },
  "GET /api/v1/users/[address]": { expect: everyone(200), url: user() },
  "GET /api/v1/users/[address]/stats": { expect: everyone(200), url: user("/stats") },
  "GET /api/v1/users/[address]/rewards": { expect: everyone(200), url: user("/rewards") },
  "GET /api/v1/users/[address]/contributions": { expect: everyone(200), url: user("/contributions") },
  // Agents only (Bearer AGENT_TOKEN): a session cookie, whoever's, is not enough.
  "GET /api/v1/assignments": { expect: VERIFIER_ONLY },
  // Claiming draws work (201) or finds none to give (200).
  "POST /api/v1/assignments": { expect: { ...VERIFIER_ONLY, verifier: [200, 201], admin: [200, 201] } },
  "DELETE /api/v1/assignments/[id]": { expect: { ...VERIFIER_ONLY, verifier: 404, admin: 404 }, url: () => "/api/v1/assignments/00000000-0000-4000-8000-000000000000" },
  "POST /api/v1/verifications": { expect: everyone(401), body: (ctx) => ({ contribution_id: ctx.contributionId, vote_score: 50 }) },

  // Webhooks: a paid plan (the contributor's Pro) or an admin registers; an endpoint is its owner's alone.
  "GET /api/v1/webhooks": { expect: SIGNED_IN },
  "POST /api/v1/webhooks": { expect: { anonymous: 401, contributor: 201, other: 403, verifier: 403, admin: 201 }, body: () => ({ url: "https://hooks.example.com/matrix", events: ["contribution.created"] }) },
  "GET /api/v1/webhooks/[id]": { expect: OWNER_ONLY(200), url: (ctx) => `/api/v1/webhooks/${ctx.webhookId}` },
  "DELETE /api/v1/webhooks/[id]": { expect: OWNER_ONLY(204), url: (ctx) => `/api/v1/webhooks/${ctx.spareWebhookIds[0]}` },
  "POST /api/v1/webhooks/[id]/rotate": { expect: OWNER_ONLY(200), url: (ctx) => `/api/v1/webhooks/${ctx.webhookId}/rotate` },
  "POST /api/v1/webhooks/[id]/enable": { expect: OWNER_ONLY(200), url: (ctx) => `/api/v1/webhooks/${ctx.webhookId}/enable` },
  "GET /api/v1/webhooks/[id]/deliveries": { expect: OWNER_ONLY(200), url: (ctx) => `/api/v1/webhooks/${ctx.webhookId}/deliveries` },
  "POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/retry": { expect: OWNER_ONLY(404), url: (ctx) => `/api/v1/webhooks/${ctx.webhookId}/deliveries/00000000-0000-4000-8000-000000000000/retry` },

  // Signed-in admins only (an API key is refused too); each persona's own data for everyone signed in.
  "GET /api/v1/admin/exports/[dataset]": { expect: ADMIN_ONLY, url: () => "/api/v1/admin/exports/contributions?format=csv" },
  "GET /api/v1/me/export": { expect: SIGNED_IN },
  "GET /api/v1/openapi.json": { expect: everyone(200) },
  // Authenticated by Stripe's signature, not by users: without one, everyone gets 400.
  "POST /api/stripe/webhook": { expect: everyone(400), body: () => ({ id: "evt_unsigned", type: "invoice.paid" }) },

  "PAGE /": { expect: everyone(200) },
  "PAGE /pricing": { expect: everyone(200) },
  "PAGE /blank": { expect: everyone(200) },
  "PAGE /docs/api": { expect: everyone(200) },
  "PAGE /billing": { expect: SIGNED_IN },
  "PAGE /wallet": { expect: SIGNED_IN },
  "PAGE /settings/api-keys": { expect: SIGNED_IN },
  "PAGE /settings/webhooks": { expect: SIGNED_IN },
  "PAGE /settings/webhooks/[id]": { expect: OWNER_ONLY(200), url: (ctx) => `/settings/webhooks/${ctx.webhookId}` },
  "ACTION lib/webhooks/actions.ts#createWebhookAction": { expect: { anonymous: 401, contributor: 200, other: 403, verifier: 403, admin: 200 }, body: () => [{ url: "https://hooks.example.com/matrix-action", events: ["reward.created"] }] },
  "ACTION lib/webhooks/actions.ts#rotateWebhookAction": { expect: OWNER_ONLY(200), body: (ctx) => [{ id: ctx.webhookId }] },
  "ACTION lib/webhooks/actions.ts#enableWebhookAction": { expect: OWNER_ONLY(200), body: (ctx) => [{ id: ctx.webhookId }] },
  "ACTION lib/webhooks/actions.ts#deleteWebhookAction": { expect: OWNER_ONLY(200), body: (ctx) => [{ id: ctx.spareWebhookIds[1] }] },
  "ACTION lib/webhooks/actions.ts#resendDeliveryAction": { expect: OWNER_ONLY(404), body: (ctx) => [{ endpointId: ctx.webhookId, deliveryId: "00000000-0000-4000-8000-000000000000" }] },

  // Notifications: your own only (others' ids are ignored, so every signed-in persona gets 200).
  "GET /api/v1/me/notifications": { expect: SIGNED_IN },
  "POST /api/v1/me/notifications/read": { expect: SIGNED_IN, body: () => ({ ids: ["00000000-0000-4000-8000-000000000000"] }) },
  "GET /api/v1/me/events": { expect: SIGNED_IN, stream: true },
  "GET /api/v1/me/notification-preferences": { expect: SIGNED_IN },
  // Sets the default (on), so later rows see the seeded state.
  "PUT /api/v1/me/notification-preferences": { expect: SIGNED_IN, body: () => ({ preferences: [{ kind: "reward_paid", channel: "email", enabled: true }] }) },
  // No address is added in e2e (no SMTP_URL: adding one is a 409), so reading or removing one is a 404.
  "GET /api/v1/me/email": { expect: { ...everyone(404), anonymous: 401 } },
  "POST /api/v1/me/email": { expect: { ...everyone(409), anonymous: 401 }, body: () => ({ address: "matrix@example.org" }) },
  "DELETE /api/v1/me/email": { expect: { ...everyone(404), anonymous: 401 } },
  // Token links, no session: an unknown token is a 404 for everyone.
  "POST /api/notifications/confirm": { expect: everyone(404), url: () => "/api/notifications/confirm?token=0000000000000000000000000000000000000000000" },
  "POST /api/notifications/unsubscribe": { expect: everyone(404), url: () => "/api/notifications/unsubscribe?token=0000000000000000000000000000000000000000000&kind=reward_paid" },
  "PAGE /settings/notifications": { expect: SIGNED_IN },
  "PAGE /notifications": { expect: SIGNED_IN },
  "PAGE /notifications/confirm": { expect: everyone(200) },
  "PAGE /notifications/unsubscribe": { expect: everyone(200) },

  "ACTION lib/payments/actions.ts#startCheckoutAction": { expect: SIGNED_IN, body: () => [{ plan: "enterprise" }] },
  "ACTION lib/payments/actions.ts#openPortalAction": { expect: SIGNED_IN, body: () => [{}] },
  // Owner only: a subscription that is not yours does not exist for you.
  "ACTION lib/payments/actions.ts#cancelSubscriptionAction": { expect: { ...everyone(404), anonymous: 401 }, body: () => [{ subscriptionId: "00000000-0000-4000-8000-000000000000" }] },
  "ACTION lib/payments/actions.ts#createPaymentAction": { expect: SIGNED_IN, body: () => [{ amountCents: 500, description: "Matrix" }] },
  "ACTION lib/api-keys/actions.ts#createApiKeyAction": { expect: SIGNED_IN, body: () => [{ name: "matrix", scopes: ["stats:read"] }] },
  "ACTION lib/api-keys/actions.ts#revokeApiKeyAction": {
    expect: { anonymous: 401, contributor: 200, other: 404, verifier: 404, admin: 404 },
    body: (ctx) => [{ id: ctx.contributorKeyId }],
  },
  "PAGE /contributions": { expect: everyone(200) },
  "PAGE /contributions/[id]": { expect: everyone(200), url: (ctx) => `/contributions/${ctx.contributionId}` },
  "PAGE /upload": { expect: SIGNED_IN },
  "PAGE /verify": { expect: VERIFIER_ONLY },
  "PAGE /verify/[id]": { expect: VERIFIER_ONLY, url: (ctx) => `/verify/${ctx.contributionId}` },

  "ACTION lib/verification/actions.ts#castVoteAction": {
    expect: VERIFIER_ONLY,
    body: async (ctx, api) => [{ contributionId: await ctx.assignedContribution(api), voteScore: 80, reasoning: "Checked by the matrix test." }],
  },
  "ACTION lib/verification/actions.ts#claimAssignmentAction": { expect: VERIFIER_ONLY, body: () => [{}] },
  "ACTION lib/verification/actions.ts#skipAssignmentAction": {
    // A well-formed id of no assignment: verifiers get the 404, everyone else is refused first.
    expect: { ...VERIFIER_ONLY, verifier: 404, admin: 404 },
    body: () => [{ assignmentId: "00000000-0000-4000-8000-000000000000" }],
  },
  "ACTION lib/verification/actions.ts#appealContributionAction": { expect: OWNER_ONLY_BUT_NOT_REJECTED, body: (ctx) => [{ contributionId: ctx.contributionId, statement: "Matrix appeal" }] },
  "ACTION lib/verification/actions.ts#markCalibrationAction": {
    expect: ADMIN_ONLY,
    body: async (ctx) => [{ contributionId: await ctx.freshContribution(), knownVerdict: "verified", scoreMin: 70, scoreMax: 90 }],
  },
  "ACTION lib/verification/actions.ts#haltContributionAction": {
    expect: ADMIN_ONLY,
    body: async (ctx) => [{ contributionId: await ctx.freshContribution(), reason }],
  },
  "ACTION lib/verification/actions.ts#pauseContributionAction": {
    expect: ADMIN_ONLY,
    body: async (ctx) => [{ contributionId: await ctx.freshContribution(), reason }],
  },
  "ACTION lib/verification/actions.ts#resumeContributionAction": {
    expect: ADMIN_ONLY,
    body: async (ctx) => [{ contributionId: await ctx.heldContribution(), reason }],
  },
  "PAGE /status": { expect: everyone(200) },
  "PAGE /dashboard": { expect: SIGNED_IN },
  "PAGE /admin": { expect: ADMIN_ONLY },

  // Admin only; an unknown job id is a 404 for the admin.
  "ACTION lib/jobs/actions.ts#requeueJobAction": { expect: { ...ADMIN_ONLY, admin: 404 }, body: () => [{ id: "00000000-0000-4000-8000-000000000000" }] },
  // Admin only; the admin gets 200 when pending rewards exist, 409 ("No pending rewards") otherwise.
  "ACTION lib/rewards/actions.ts#payPendingRewardsAction": { expect: { ...ADMIN_ONLY, admin: [200, 409] }, body: () => [{}] },
  "ACTION lib/rewards/actions.ts#retryPayoutBatchAction": { expect: { ...ADMIN_ONLY, admin: 404 }, body: () => [{ id: "00000000-0000-4000-8000-000000000000" }] },
  // Admin only; a month not over yet is refused to the admin as invalid (closing a real one would change the shared database's months).
  "ACTION lib/revenue/actions.ts#closeRevenuePeriodAction": { expect: { ...ADMIN_ONLY, admin: 400 }, body: () => [{ period: "2999-01" }] },
  "ACTION lib/users/actions.ts#setVerifierRoleAction": {
    expect: ADMIN_ONLY,
    body: () => [{ address: PERSONAS.other.address, grant: true }],
    after: async (_api, call) => {
      await call([{ address: PERSONAS.other.address, grant: false }]);
    },
  },
};

async function freshSignedMessage(baseURL: string) {
  const { generatePrivateKey } = await import("viem/accounts");
  return signedSiweFor(baseURL, generatePrivateKey());
}
