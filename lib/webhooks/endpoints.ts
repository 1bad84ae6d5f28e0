import "server-only";

import { and, eq, sql } from "drizzle-orm";

import { getDb, queryRows, type Tx } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import type { WebhookEventType } from "@/db/vocabulary";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { cursorText, keyset, toPage, type Cursor, type Page } from "@/lib/pagination";
import { currentPlanSql } from "@/lib/payments/current-plan";

import { WEBHOOK_DRAIN_JOB } from "./drain-job";
import { newSecret } from "./signing";
import { checkWebhookUrl } from "./target";

/** Endpoints one user may hold. */
export const MAX_ENDPOINTS = 20;
/** After a rotation the old secret keeps signing this long, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_HOURS = 24;

export type EndpointState = "active" | "paused" | "disabled";

export interface PublicEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  platform: boolean;
  /** paused: the owner is on the free plan (resumes on upgrade); disabled: switched off after failing (or by its owner). */
  status: EndpointState;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
}

/**
 * Whether the owner's endpoints run now: admins' always, others' on a paid plan. SQL over
 * `w` (webhook_endpoints) and `u` (users) so the fan-out and the lists agree.
 */
export const ownerRunsSql = sql`('admin' = ANY(u.roles) OR coalesce(${currentPlanSql(sql.raw("w.user_id"))}, 'free') <> 'free')`;

async function ownerOf(tx: Tx, userId: string): Promise<{ admin: boolean; runs: boolean }> {
  const [row] = await queryRows<{ admin: boolean; runs: boolean }>(
    tx,
    sql`SELECT 'admin' = ANY(u.roles) AS admin, ${ownerRunsSql} AS runs FROM users u CROSS JOIN (SELECT ${userId}::uuid AS user_id) w WHERE u.id = ${userId}`,
  );
  if (!row) throw new NotFoundError("No such user");
  return row;
}

/** Registers an endpoint: paid plans and admins; `platform` (every user's events) for admins only. The secret is returned once. */
export async function createEndpoint(input: { userId: string; url: string; events: WebhookEventType[]; platform?: boolean }): Promise<{ endpoint: PublicEndpoint; secret: string }> {
  const url = checkWebhookUrl(input.url).toString();
  return getDb().transaction(async (tx) => {
    // One registration at a time per user, so the cap holds under concurrent requests.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended('webhook-endpoints:' || ${input.userId}, 0))`);
    const owner = await ownerOf(tx, input.userId);
    if (!owner.runs) throw new ForbiddenError("Webhooks come with a paid plan: upgrade on /pricing to register an endpoint");
    if (input.platform && !owner.admin) throw new ForbiddenError("Only admins may register a platform-wide endpoint");
    const held = await tx.$count(webhookEndpoints, eq(webhookEndpoints.userId, input.userId));
    if (held >= MAX_ENDPOINTS) throw new ConflictError(`You already have ${MAX_ENDPOINTS} webhook endpoints: delete one first`);
    const secret = newSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ userId: input.userId, url, eventTypes: [...new Set(input.events)], platform: !!input.platform, secret })
      .returning();
    return { endpoint: toPublic(row!, true), secret };
  });
}

type Row = typeof webhookEndpoints.$inferSelect;

const toPublic = (r: Row, runs: boolean): PublicEndpoint => ({
  id: r.id,
  url: r.url,
  events: r.eventTypes as WebhookEventType[],
  platform: r.platform,
  status: r.status === "disabled" ? "disabled" : runs ? "active" : "paused",
  disabledReason: r.disabledReason,
  failingSince: r.failingSince,
  createdAt: r.createdAt,
});

/** The user's endpoints, newest first. */
export async function listEndpoints(userId: string, options: { limit: number; cursor?: Cursor }): Promise<Page<PublicEndpoint>> {
  const order = keyset(webhookEndpoints.createdAt, webhookEndpoints.id, options.cursor);
  const [rows, runs] = await Promise.all([
    getDb()
      .select({ row: webhookEndpoints, cursorAt: cursorText(webhookEndpoints.createdAt), id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.userId, userId), order.where))
      .orderBy(order.orderBy)
      .limit(options.limit + 1),
    getDb().transaction((tx) => ownerOf(tx, userId)),
  ]);
  return toPage(rows, options.limit, (r) => toPublic(r.row, runs.runs), options.cursor);
}

/** The owner's endpoint (another user's is not found: its existence is not confirmed). */
export async function ownEndpoint(userId: string, id: string): Promise<Row> {
  const [row] = await getDb()
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)));
  if (!row) throw new NotFoundError("No webhook endpoint with this id");
  return row;
}

export async function getEndpoint(userId: string, id: string): Promise<PublicEndpoint> {
  const row = await ownEndpoint(userId, id);
  return toPublic(row, (await getDb().transaction((tx) => ownerOf(tx, userId))).runs);
}

export async function deleteEndpoint(userId: string, id: string): Promise<void> {
  const gone = await getDb()
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)))
    .returning({ id: webhookEndpoints.id });
  if (gone.length === 0) throw new NotFoundError("No webhook endpoint with this id");
}

/** A new secret, returned once; the previous one keeps signing for PREVIOUS_SECRET_HOURS. */
export async function rotateSecret(userId: string, id: string): Promise<{ endpoint: PublicEndpoint; secret: string }> {
  const secret = newSecret();
  const [row] = await getDb()
    .update(webhookEndpoints)
    .set({
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt: sql`now() + make_interval(hours => ${PREVIOUS_SECRET_HOURS})`,
      secret,
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)))
    .returning();
  if (!row) throw new NotFoundError("No webhook endpoint with this id");
  return { endpoint: await getEndpoint(userId, row.id), secret };
}

/** Switches a disabled endpoint back on: its failures are forgotten and what waits in the outbox (72 h) goes out. */
export async function enableEndpoint(userId: string, id: string): Promise<PublicEndpoint> {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ status: "active", disabledReason: null, failingSince: null, consecutiveFailures: 0, retryAt: null, updatedAt: sql`now()` })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw new NotFoundError("No webhook endpoint with this id");
    await WEBHOOK_DRAIN_JOB.enqueue(tx, { endpointId: id });
  });
  return getEndpoint(userId, id);
}

