import Link from "next/link";

import { LiveRefresh } from "@/components/contributions/live-refresh";
import type { Decision } from "@/lib/verification/decision";
import type { OwnBallotOutcome } from "@/lib/verification/queries";

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : "±0");
const round3 = (n: number) => Math.round(n * 1000) / 1000;

interface Props {
  contribution: { id: string; status: string; verification_count: number; updated_at: string };
  /** The decision once decided (null while the votes are sealed). */
  decision: Decision | null;
  ballot: OwnBallotOutcome | null;
  quorum: number;
}

/**
 * What a verifier sees after voting: while open, that their ballot is sealed and how many are in
 * (following the contribution live, so the decision shows up here without a reload); once decided,
 * the verdict and what it did to their reputation and weight — whether their vote decided it or not.
 */
export function VoteOutcome({ contribution: c, decision, ballot, quorum }: Props) {
  return (
    <section className="card" role="status" aria-labelledby="outcome-title" data-testid="vote-outcome" data-decided={!!decision}>
      <h2 id="outcome-title">{decision ? "Decided" : "Your ballot is sealed"}</h2>
      <p>You have voted on this contribution.</p>
      {decision ? (
        <>
          <p data-testid="outcome-verdict">
            Verdict: <strong>{decision.score >= decision.threshold ? "verified" : "rejected"}</strong>, final score <strong>{decision.score}</strong> against a threshold of {decision.threshold}, from{" "}
            {c.verification_count} votes.
          </p>
          {ballot?.reputationDelta != null ? (
            <p data-testid="outcome-reputation">
              Your vote of {ballot.score} was {ballot.distance} point{ballot.distance === 1 ? "" : "s"} from it: reputation <strong>{signed(ballot.reputationDelta)}</strong> (now {round3(ballot.reputationNow)}), vote weight{" "}
              {ballot.weightNow === ballot.weightAtVote ? `still ${ballot.weightNow}` : `${ballot.weightAtVote} → ${ballot.weightNow}`}.
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p data-testid="outcome-pending">
            Your vote{ballot?.score != null ? ` of ${ballot.score}` : ""} is sealed to everyone else. {c.verification_count} vote{c.verification_count === 1 ? "" : "s"} in; a decision needs at least {quorum} and enough
            voter weight. This page shows the verdict when it comes.
          </p>
          <LiveRefresh id={c.id} status={c.status} verificationCount={c.verification_count} at={c.updated_at} />
        </>
      )}
      <p>
        <Link href={`/contributions/${c.id}`}>See the contribution</Link> or <Link href="/verify">review the next one</Link>.
      </p>
    </section>
  );
}
