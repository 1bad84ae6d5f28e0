import "server-only";

import { and, eq, isNotNull } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributions, verifications } from "@/db/schema";
import { APPEALED_STATUS, isOpen } from "@/db/vocabulary";
import { ConflictError } from "@/lib/errors";
import { getEnv } from "@/lib/config/env";
import { storedReader } from "@/lib/previews/contribution-preview";

import { agentInput } from "./agents/inspect";
import { aiVerdict } from "./agents/select";
import { castVote } from "./consensus";
import { VERIFY_JOB } from "./jobs";

/**
 * The "verify-contribution" job: the AI agent's vote on a new contribution. Idempotent — a job
 * re-run after a crash finds the agent's vote already there, or the contribution closed, and stops.
 */
export const verifyContributionJob = VERIFY_JOB.handler(({ contributionId }, { signal }) => castAiVote(contributionId, signal));

/** The AI agent's vote on one contribution, as the job casts it (the demo seed casts it at once). */
export async function castAiVote(id: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
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

  const { AGENT_MAX_FILES, AGENT_MAX_BYTES } = getEnv();
  const { cid, ...meta } = c;
  // The agent reads by ranges from the node, within AGENT_MAX_BYTES in all (a 1 GiB upload costs no more).
  const input = await agentInput(meta, storedReader(cid, c.size, AGENT_MAX_BYTES), { maxFiles: AGENT_MAX_FILES, maxBytes: AGENT_MAX_BYTES });
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
}
