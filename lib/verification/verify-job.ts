import "server-only";

import { and, eq, isNotNull } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributions, verifications } from "@/db/schema";
import { APPEALED_STATUS, isOpen } from "@/db/vocabulary";
import { ConflictError } from "@/lib/errors";
import { readContent } from "@/lib/ipfs/content";

import { ALPHA_SAMPLE_BYTES } from "./agents/alpha";
import { aiVerdict } from "./agents/select";
import type { AgentInput } from "./agents/types";
import { castVote } from "./consensus";
import { VERIFY_JOB } from "./jobs";

/** Reads at most `limit` bytes from the start of a file (verified block by block). */
async function readPrefix(cid: string, size: number, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of readContent(cid, { offset: 0, length: Math.min(size, limit) }, signal)) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * The "verify-contribution" job: the AI agent's vote on a new contribution. Idempotent — a job
 * re-run after a crash finds the agent's vote already there, or the contribution closed, and stops.
 */
export const verifyContributionJob = VERIFY_JOB.handler(async ({ contributionId: id }, { signal }) => {
  const db = getDb();
  const [c] = await db
    .select({
      id: contributions.id,
      status: contributions.status,
      cid: contributions.cid,
      fileType: contributions.fileType,
      mediaType: contributions.mediaType,
      fileName: contributions.fileName,
      size: contributions.sizeBytes,
      title: contributions.title,
      description: contributions.description,
      metadata: contributions.metadata,
    })
    .from(contributions)
    .where(eq(contributions.id, id));
  // An appeal is its panel's alone: the AI does not vote in round 2.
  if (!c || !isOpen(c.status) || c.status === APPEALED_STATUS) return;
  const [voted] = await db
    .select({ id: verifications.id })
    .from(verifications)
    .where(and(eq(verifications.contributionId, id), isNotNull(verifications.agentId)))
    .limit(1);
  if (voted) return;

  const sample = await readPrefix(c.cid, c.size, ALPHA_SAMPLE_BYTES, signal);
  const input: AgentInput = { ...c, sample, complete: sample.byteLength >= c.size };
  const verdict = await aiVerdict(input, signal);
  try {
    await castVote({
      contributionId: id,
      voter: { kind: "agent", agentId: verdict.agentId, agentType: verdict.agentType },
      voteScore: verdict.voteScore,
      subScores: verdict.subScores,
      reasoning: verdict.reasoning,
      details: verdict.details,
    });
  } catch (error) {
    // Closed meanwhile (halted, decided) or already voted by a previous attempt: nothing left to do.
    if (error instanceof ConflictError) return;
    throw error;
  }
});
