import "server-only";

import { inArray } from "drizzle-orm";

import type { Tx } from "@/db/client";
import { appeals, contributions } from "@/db/schema";
import type { EventType } from "@/db/vocabulary";
import type { EventData } from "@/lib/outbox/types";

import type { NotificationKind } from "./kinds";

export interface Reason {
  score: number;
  by: string;
  reasoning: string;
}

export interface Composed {
  title: string;
  body: string;
  link: string | null;
  /** The decision's reasons (contribution_decided, appeal_decided), lowest score first. */
  data: { reasons?: Reason[]; contribution_id?: string };
}

/** At most this many reasons, each at most REASON_MAX characters: a notification (and its NOTIFY payload) stays small. */
const MAX_REASONS = 5;
const REASON_MAX = 280;

type Decision = { round?: number; threshold?: number; reasons?: { agent_type: string; score: number; reasoning: string }[] };
type EventRow = { id: string; type: string; data: Record<string, unknown> };

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const reasonsOf = (d: Decision | null | undefined): Reason[] =>
  (d?.reasons ?? []).slice(0, MAX_REASONS).map((r) => ({ score: r.score, by: r.agent_type === "human" ? "verifier" : r.agent_type, reasoning: clip(r.reasoning || "no reason given", REASON_MAX) }));

/**
 * The contributions (title, decision) and first-round decisions the events need, read once for the
 * batch. Runs at fan-out, after the decision committed: a decision's reasons are revealed by then.
 */
export async function contextFor(tx: Tx, rows: EventRow[]) {
  const ids = [...new Set(rows.map((r) => r.data.contribution_id).filter((v): v is string => typeof v === "string"))];
  const found = ids.length
    ? await tx.select({ id: contributions.id, title: contributions.title, decision: contributions.decision }).from(contributions).where(inArray(contributions.id, ids))
    : [];
  const firsts = ids.length ? await tx.select({ contributionId: appeals.contributionId, firstDecision: appeals.firstDecision }).from(appeals).where(inArray(appeals.contributionId, ids)) : [];
  return {
    contribution: new Map(found.map((c) => [c.id, { title: c.title, decision: c.decision as Decision | null }])),
    firstDecision: new Map(firsts.map((a) => [a.contributionId, a.firstDecision as Decision | null])),
  };
}

type Context = Awaited<ReturnType<typeof contextFor>>;

/** The decision a round's event speaks of: the current one, or (once an appeal replaced it) the first round's kept copy. */
function decisionOf(ctx: Context, contributionId: string, round: number): Decision | null {
  const current = ctx.contribution.get(contributionId)?.decision;
  if (current && (current.round ?? 1) === round) return current;
  return round === 1 ? (ctx.firstDecision.get(contributionId) ?? null) : null;
}

export function compose(kind: NotificationKind, event: EventRow, ctx: Context): Composed {
  const contributionId = typeof event.data.contribution_id === "string" ? event.data.contribution_id : undefined;
  const title = contributionId ? `“${clip(ctx.contribution.get(contributionId)?.title ?? "a contribution", 80)}”` : "";
  const link = contributionId ? `/contributions/${contributionId}` : null;
  switch (kind) {
    case "contribution_decided": {
      const d = event.data as EventData["contribution.decided"];
      const decision = decisionOf(ctx, d.contribution_id, d.round);
      const reasons = reasonsOf(decision);
      const verdict = d.status === "verified" ? "verified" : "rejected";
      const reward = d.reward ? ` A reward of ${d.reward.amount} NWU was created.` : "";
      const threshold = decision?.threshold !== undefined ? ` (threshold ${decision.threshold})` : "";
      return {
        title: `${title} was ${verdict}`,
        body: `Final score ${d.score}${threshold} from ${d.votes} vote${d.votes === 1 ? "" : "s"}.${reward}${verdict === "rejected" && d.round === 1 ? " You may appeal it from its page." : ""}`,
        link,
        data: { contribution_id: d.contribution_id, reasons },
      };
    }
    case "appeal_decided": {
      const d = event.data as EventData["appeal.decided"];
      return {
        title: `Your appeal of ${title} was ${d.outcome}`,
        body: d.outcome === "overturned" ? `The panel's score ${d.score} verifies it.` : `The panel's score ${d.score} keeps it rejected.`,
        link,
        data: { contribution_id: d.contribution_id, reasons: reasonsOf(decisionOf(ctx, d.contribution_id, 2)) },
      };
    }
    case "appeal_panel": {
      const d = event.data as EventData["appeal.panel_assigned"];
      return { title: `An appeal panel needs you: “${clip(d.title, 80)}”`, body: "A rejection was appealed and a fresh panel is drawn from verifiers who did not vote on it. Claim your next assignment to review it.", link: "/verify", data: { contribution_id: d.contribution_id } };
    }
    case "reward_paid": {
      const d = event.data as EventData["reward.distributed"];
      return { title: `Reward paid: ${d.amount} NWU for ${title}`, body: `Transaction ${d.tx_hash} on chain ${d.chain_id}.`, link, data: { contribution_id: d.contribution_id } };
    }
    case "reward_failed": {
      const d = event.data as EventData["payout.failed"];
      return { title: `Reward payout failed: ${d.amount} NWU for ${title}`, body: clip(d.reason, REASON_MAX), link, data: { contribution_id: d.contribution_id } };
    }
    case "endpoint_disabled": {
      const d = event.data as EventData["webhook.disabled"];
      return { title: `Webhook endpoint disabled: ${clip(d.url, 120)}`, body: clip(d.reason, REASON_MAX), link: "/settings/webhooks", data: {} };
    }
  }
}

export type { EventType };
