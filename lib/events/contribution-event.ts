/**
 * What a contribution's event stream carries (`event: status` on /api/v1/contributions/{id}/events),
 * shared by the server that publishes it and the browser that reads it: never a sealed score — the
 * running score is null until the decision (issue #15 §1).
 */
export interface ContributionEvent {
  id: string;
  status: string;
  qualityScore: number | null;
  verificationCount: number;
  /** The reward amount once a verified decision created one. */
  reward?: string | null;
  at: string;
}
