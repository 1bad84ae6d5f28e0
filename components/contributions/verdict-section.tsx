import { TitledSection } from "@/components/titled-section";
import { CLIP_DISTANCE } from "@/lib/verification/aggregate";
import type { Decision } from "@/lib/verification/decision";

const verdictOf = (d: Decision) => (d.score >= d.threshold ? "verified" : "rejected");

/** Why the verdict is what it is: the final score against the threshold, the weakest criteria first, and the reasons given. */
export function VerdictSection({ decision, underAppeal = false }: { decision: Decision; underAppeal?: boolean }) {
  const criteria = Object.entries(decision.criteria).sort(([, a], [, b]) => a - b);
  const below = criteria.filter(([, v]) => v < decision.threshold);
  return (
    <TitledSection id="verdict-title" title={underAppeal ? "First-round verdict (under appeal)" : decision.round === 2 ? "Verdict of the appeal panel" : "Verdict"}>
      <div className="card" data-testid="verdict">
        <p>
          Final score <strong>{decision.score}</strong> against a threshold of {decision.threshold}: <strong>{verdictOf(decision)}</strong>. {decision.weight} of voter weight;
          the weighted median was {decision.median}
          {decision.clipped ? `, and ${decision.clipped} vote${decision.clipped === 1 ? "" : "s"} far from it counted at most ${CLIP_DISTANCE} points away` : ""}.
        </p>
        {criteria.length ? (
          <p data-testid="verdict-criteria">
            {below.length ? "Pulled down by " : "Every criterion at or above the threshold: "}
            {(below.length ? below : criteria).map(([name, value], i) => (
              <span key={name}>
                {i ? ", " : ""}
                {name} ({value})
              </span>
            ))}
            .
          </p>
        ) : null}
        <ul className="reasons" data-testid="verdict-reasons">
          {decision.reasons.map((r, i) => (
            <li key={i}>
              <strong>{r.score}</strong> · {r.agent_type === "human" ? "verifier" : r.agent_type} — {r.reasoning || "no reason given"}
            </li>
          ))}
        </ul>
      </div>
    </TitledSection>
  );
}
