import type { EventType } from "@/db/vocabulary";

/**
 * Each event's `data`, as receivers get it (snake_case, like the REST API). Amounts are decimal
 * strings; times ISO 8601. Nothing sealed: votes appear only once revealed at the decision.
 */
export interface EventData extends Record<EventType, Record<string, unknown>> {
  "contribution.created": { contribution_id: string; title: string; file_type: string; status: string; size_bytes: number; ipfs_cid: string; created_at: string };
  "contribution.decided": { contribution_id: string; status: "verified" | "rejected"; score: number; round: number; votes: number; reward: { id: string; amount: string } | null; decided_at: string };
  "contribution.appealed": { contribution_id: string; appeal_id: string; first_score: number | null; appealed_at: string };
  "appeal.decided": { appeal_id: string; contribution_id: string; outcome: "overturned" | "upheld"; score: number; decided_at: string };
  "vote.revealed": { contribution_id: string; verification_id: string; voter: string; round: number; score: number; weight: number; revealed_at: string };
  "reward.created": { reward_id: string; contribution_id: string; amount: string; created_at: string };
  "reward.distributed": { reward_id: string; contribution_id: string; amount: string; tx_hash: string; chain_id: number; batch_id: string; distributed_at: string };
  "payout.failed": { reward_id: string; contribution_id: string; amount: string; batch_id: string; reason: string; failed_at: string };
  "subscription.updated": { subscription_id: string; plan: string; status: string; cancel_at_period_end: boolean; current_period_end: string | null; updated_at: string };
  "appeal.panel_assigned": { appeal_id: string; contribution_id: string; title: string };
  "webhook.disabled": { endpoint_id: string; url: string; reason: string; disabled_at: string };
}
