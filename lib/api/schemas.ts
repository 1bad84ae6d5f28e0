import { z } from "zod";

import { agentType, contributionStatus, rewardStatus, userRole } from "@/db/schema";
import { REWARD_KINDS } from "@/db/vocabulary";
import { addressSchema, contributionSchema } from "@/lib/contributions/fields";
import { SUB_SCORE_NAMES } from "@/lib/verification/agents/types";

/**
 * The public API's answers, as zod. The contribution comes from its field table; the others are
 * checked against the TypeScript types their queries return (schemas.test.ts: a field added to one
 * and not the other fails to compile), and the OpenAPI document is generated from them.
 */
const dateTime = z.iso.datetime();
const score = z.number().min(0).max(100);
/** Exact decimal NWU amounts, as strings (no float rounding). */
const amount = z.string().regex(/^\d+(\.\d+)?$/);

export const statusAnswer = contributionSchema.pick({ id: true, status: true, quality_score: true, verification_count: true, halt_reason: true, updated_at: true });

const subScoreNames = SUB_SCORE_NAMES.join(", ");

/** 32 bytes in lowercase hex: ballot commitments (SHA-256) and their salts. */
const hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const commitment = hex32.nullable().describe("SHA-256 (hex) of the ballot's canonical encoding (README \"Sealed ballots\"); null for votes cast before ballots were sealed");

export const sealedVerificationSchema = z.object({
  id: z.uuid(),
  sealed: z.literal(true).describe("The contribution is still open: the vote's content and its voter stay hidden until the decision"),
  commitment,
  created_at: dateTime,
});

export const revealedVerificationSchema = z.object({
  id: z.uuid(),
  sealed: z.boolean().describe("true only on the viewer's own vote before the decision"),
  verifier: addressSchema.nullable().describe("The human verifier's address (null for agents)"),
  agent_id: z.string().nullable(),
  agent_type: z.enum(agentType.enumValues),
  vote_score: score.nullable().describe("0–100; null for an agent's abstention (a format it cannot judge: no score, no weight, not counted toward the quorum)"),
  abstained: z.boolean().describe("An agent's abstention: reasoning says why"),
  sub_scores: z.record(z.string(), score).describe(`Scores by aspect (${subScoreNames}, or an agent's own names)`),
  reasoning: z.string(),
  weight: z.number().min(0).describe("The voter's weight when the vote was cast"),
  salt: z.string().describe("The ballot's random salt (hex), revealed with the vote"),
  commitment,
  created_at: dateTime,
});

export const verificationSchema = z.union([revealedVerificationSchema, sealedVerificationSchema]);

export const voteResultSchema = z.object({
  verification_id: z.uuid(),
  status: z.enum(contributionStatus.enumValues),
  verification_count: z.int().min(0),
  quality_score: score.nullable().describe("Null until the decision: the running score is sealed"),
  decided: z.boolean(),
  commitment: hex32.describe("The sealed ballot's commitment, as published on the contribution's timeline"),
  salt: hex32.describe("The salt inside the commitment: keep it to check your vote once revealed"),
});

export const profileSchema = z.object({
  address: addressSchema,
  username: z.string().nullable(),
  roles: z.array(z.enum(userRole.enumValues)),
  reputation: z.number(),
  created_at: dateTime,
});

export const statsSchema = z.object({
  address: addressSchema,
  reputation: z.number(),
  contributions: z.object({ total: z.int(), verified: z.int(), rejected: z.int(), pending: z.int(), on_hold: z.int() }),
  average_quality: score.nullable(),
  rewards: z.object({
    count: z.int(),
    pending: z.number(),
    processing: z.number(),
    distributed: z.number(),
    failed: z.number(),
    api_use: z.number().describe("NWU earned from API use (revenue-share rewards, any status)"),
  }),
});

export const rewardSchema = z.object({
  id: z.uuid(),
  contribution_id: z.uuid(),
  contribution_title: z.string(),
  kind: z.enum(REWARD_KINDS).describe("verification: for the verified contribution; revenue_share: its share of a month's API revenue"),
  period: z.iso.date().nullable().describe("The month (its first day, UTC) a revenue-share reward pays for; null for a verification reward"),
  amount,
  status: z.enum(rewardStatus.enumValues),
  tx_hash: z.string().nullable(),
  chain_id: z.int().nullable(),
  failure_reason: z.string().nullable().describe("Why the last payout attempt failed (status failed), else null"),
  distributed_at: dateTime.nullable(),
  created_at: dateTime,
});

export const rewardTotalsSchema = z
  .object({ pending: z.number(), processing: z.number(), distributed: z.number(), failed: z.number(), api_use: z.number().describe("Of all of them, NWU earned from API use (revenue share)") })
  .describe("NWU by reward status");

/** RFC 9457 problem details, with this API's extensions (lib/errors.ts toProblem). */
export const problemSchema = z.object({
  type: z.string().describe("A URI naming the problem (about:blank for internal errors)"),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string(),
  error: z.string().describe("The same text as detail"),
  code: z.string().describe("Stable machine-readable code, e.g. not_found, validation_failed"),
  instance: z.string().optional(),
  request_id: z.string().optional().describe("Quote it to support: it finds the logged request"),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional().describe("validation_failed: messages by field"),
  existingId: z.uuid().optional().describe("409 on upload: your earlier contribution with the same bytes"),
  size: z.int().optional().describe("416: the file's size in bytes"),
  mediaType: z.string().optional().describe("415 on upload: the media type sniffed from the bytes"),
  retryAfter: z.number().optional().describe("429: seconds until the rate limit allows another request"),
});

export const assignmentSchema = z.object({
  id: z.uuid(),
  contribution_id: z.uuid(),
  title: z.string(),
  file_type: z.string(),
  expires_at: dateTime.describe("Held until then (ASSIGNMENT_MINUTES); afterwards it is back in the pool"),
});

export const claimAnswerSchema = z.object({
  assignment: assignmentSchema.nullable().describe("The assignment drawn; null when nothing you may review needs reviewers, or you hold the most allowed"),
  full: z.boolean().describe("You hold MAX_OPEN_ASSIGNMENTS already: vote on or skip one first"),
});

export const assignmentListSchema = z.object({ items: z.array(assignmentSchema) });
