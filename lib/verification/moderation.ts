import "server-only";

import { eq, sql } from "drizzle-orm";

import { getDb } from "@/db/client";
import { isHeld, isOpen } from "@/db/vocabulary";
import { auditLog, contributions, type ContributionStatus } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { publishContributionEvent } from "@/lib/events/bus";
import { dagBlockCids } from "@/lib/ipfs/content";
import { releaseContent, withholdContent } from "@/lib/ipfs/withheld";

import { VERIFY_JOB } from "./jobs";

export type ModerationAction = "halt" | "pause" | "resume";

/**
 * Admin moderation. Halt stops a contribution for good reason (any status); pause holds one that
 * is still being verified; resume restores what the hold interrupted (and lets the AI agent vote
 * if it has not). Status change, reason and actor are audited and announced in one transaction.
 */
export async function moderate(input: { actorId: string; contributionId: string; action: ModerationAction; reason: string }): Promise<ContributionStatus> {
  return getDb().transaction(async (tx) => {
    const [c] = await tx
      .select({ cid: contributions.cid, status: contributions.status, before: contributions.statusBeforeHold, score: contributions.qualityScore, votes: contributions.verificationCount })
      .from(contributions)
      .where(eq(contributions.id, input.contributionId))
      .for("update");
    if (!c) throw new NotFoundError("No contribution with this id");
    let next: ContributionStatus;
    let before: ContributionStatus | null = c.before;
    if (input.action === "halt") {
      if (c.status === "halted") throw new ConflictError("Already halted");
      next = "halted";
      before = c.status === "paused" ? c.before : c.status;
    } else if (input.action === "pause") {
      if (!isOpen(c.status)) throw new ConflictError(`Only contributions being verified can be paused (this one is ${c.status})`);
      next = "paused";
      before = c.status;
    } else {
      if (!isHeld(c.status)) throw new ConflictError(`Only halted or paused contributions can be resumed (this one is ${c.status})`);
      next = c.before ?? (c.votes > 0 ? "verifying" : "pending");
      before = null;
    }
    const [updated] = await tx
      .update(contributions)
      .set({ status: next, statusBeforeHold: before, haltReason: next === "halted" || next === "paused" ? input.reason : null, updatedAt: sql`now()` })
      .where(eq(contributions.id, input.contributionId))
      .returning({ updatedAt: contributions.updatedAt });
    // Halted bytes leave the IPFS network too (when the node is on it); resuming serves them again.
    if (next === "halted") await withholdContent(tx, c.cid, dagBlockCids(c.cid));
    else if (c.status === "halted") await releaseContent(tx, c.cid);
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      entityType: "contribution",
      entityId: input.contributionId,
      action: `contribution.${input.action}`,
      fromStatus: c.status,
      toStatus: next,
      reason: input.reason,
    });
    if (isOpen(next)) {
      // The AI vote may have been skipped while the contribution was held; the job is idempotent.
      await VERIFY_JOB.enqueue(tx, { contributionId: input.contributionId });
    }
    await publishContributionEvent(tx, { id: input.contributionId, status: next, qualityScore: c.score, verificationCount: c.votes, at: updated!.updatedAt.toISOString() });
    return next;
  });
}
