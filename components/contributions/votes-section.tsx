
import { ColumnHeads } from "@/components/column-heads";
import { PageLinks } from "@/components/next-page-link";
import { TitledSection } from "@/components/titled-section";
import { formatDateTime, shortHash } from "@/lib/format";
import type { Page } from "@/lib/pagination";
import { isRevealed, type PublicVerification } from "@/lib/verification/queries";

/** One page of a contribution's votes, newest first, with links to the pages before and after (`vcursor`). */
export function VotesSection({ contributionId, votes }: { contributionId: string; votes: Page<PublicVerification> }) {
  const link = (cursor: string | null | undefined) => (cursor ? `/contributions/${contributionId}?vcursor=${cursor}#votes-title` : null);
  return (
    <TitledSection id="votes-title" title="Verifications">
      {votes.items.length === 0 ? <p className="card">No votes yet.</p> : <VotesTable votes={votes.items} />}
      <PageLinks label="Votes pages" prev={link(votes.prevCursor)} next={link(votes.nextCursor)} />
    </TitledSection>
  );
}

/** A ballot's commitment, and once revealed its salt: with the vote, anyone can recompute the one from the other (README "Sealed ballots"). */
function Ballot({ commitment, salt }: { commitment: string | null; salt?: string }) {
  if (!commitment) return <>sealed</>;
  return (
    <span className="mono">
      <span title={commitment}>commitment {shortHash(commitment, 10, 6)}</span>
      {salt ? (
        <>
          <br />
          <span title={salt} data-testid="ballot-salt">
            salt {shortHash(salt, 6, 4)}
          </span>
        </>
      ) : null}
    </span>
  );
}

/** While open, a sealed row shows only that the ballot exists and its commitment; revealed, everything, weight and salt included. */
function VotesTable({ votes }: { votes: PublicVerification[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="verifications-table">
        <ColumnHeads names={["Verifier", "Score", "Weight", "Reasoning", "Ballot", "When"]} />
        <tbody>
          {votes.map((v) =>
            isRevealed(v) ? (
              <tr key={v.id} data-sealed={v.sealed ? "own" : undefined}>
                <td className="mono">{v.verifier ? shortHash(v.verifier, 6, 4) : `agent ${v.agent_id}`}{v.sealed ? " (you)" : ""}</td>
                <td>{v.vote_score ?? "abstained"}</td>
                <td data-testid="vote-weight">{v.weight}</td>
                <td className="cell-wrap">{v.reasoning}</td>
                <td>
                  <Ballot commitment={v.commitment} salt={v.salt} />
                </td>
                <td>{formatDateTime(v.created_at)}</td>
              </tr>
            ) : (
              <tr key={v.id} data-sealed="true">
                <td>Sealed</td>
                <td colSpan={3} className="cell-wrap muted">
                  Score, weight and reasoning revealed at the decision
                </td>
                <td>
                  <Ballot commitment={v.commitment} />
                </td>
                <td>{formatDateTime(v.created_at)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
