/** Votes cast the way verifiers cast them: on a contribution assigned to them first (lib/verification/assignments.ts). */
import { getDb } from "@/db/client";
import { assignTo } from "@/lib/verification/assignments";
import { castVote, type VoteInput } from "@/lib/verification/consensus";

/** Assigns `contributionId` to the person (if still assignable), then casts their vote. */
export async function assignedVote(input: Omit<VoteInput, "voter"> & { userId: string; viaKey?: string }) {
  await getDb().transaction((tx) => assignTo(tx, input.contributionId, input.userId));
  const { userId, viaKey, ...vote } = input;
  return castVote({ ...vote, voter: viaKey ? { kind: "key", userId, keyId: viaKey, agent: false } : { kind: "human", userId } });
}
