/**
 * Sealed ballots: the commitment published when a vote is cast, recomputable by anyone once the
 * vote is revealed at the decision. Pure (node:crypto only).
 *
 * Encoding (version 1), documented in README "Sealed ballots": the UTF-8 bytes of the JSON text of
 *   ["nwu-ballot-v1", contribution_id, voter, vote_score, sub_scores, reasoning, salt]
 * where voter is the voter's lowercase 0x address (people, whichever key or session they used) or
 * "agent:<agent_id>", vote_score is an integer 0–100 or null for an agent's abstention, sub_scores is an array of [name, value] pairs sorted by name, and salt is 32
 * random bytes in lowercase hex. JSON.stringify's output for these values is unique: integers,
 * strings escaped as ECMA-404 requires, no whitespace. The commitment is the lowercase hex SHA-256
 * of those bytes.
 */
import { createHash, randomBytes } from "node:crypto";

export const BALLOT_VERSION = "nwu-ballot-v1";

export interface BallotContent {
  contributionId: string;
  /** Lowercase 0x address, or `agent:<id>`. */
  voter: string;
  /** Null: an abstention. */
  voteScore: number | null;
  subScores: Record<string, number>;
  reasoning: string;
  salt: string;
}

export function ballotEncoding(b: BallotContent): string {
  const subScores = Object.entries(b.subScores).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([BALLOT_VERSION, b.contributionId, b.voter, b.voteScore, subScores, b.reasoning, b.salt]);
}

export function ballotCommitment(b: BallotContent): string {
  return createHash("sha256").update(ballotEncoding(b), "utf8").digest("hex");
}

export const newSalt = (): string => randomBytes(32).toString("hex");
