import { TitledSection } from "@/components/titled-section";
import { BALLOT_ACTIONS, type TimelineEntry } from "@/lib/audit/queries";
import { WITHHELD_STATUS } from "@/lib/contributions/visibility";
import { formatDateTime, shortHash } from "@/lib/format";

/** Entries that change no status, by what they mean to a reader. */
const LABELS: Record<string, string> = { [BALLOT_ACTIONS.vote]: "ballot cast", [BALLOT_ACTIONS.abstain]: "abstention (no score)" };

/** A contribution's status history; the reason for a halt is shown only to a `privileged` viewer. */
export function StatusTimeline({ timeline, privileged }: { timeline: TimelineEntry[]; privileged: boolean }) {
  return (
    <TitledSection id="timeline-title" title="Timeline">
      <ol className="timeline" data-testid="timeline">
        {timeline.map((t) => (
          <li key={t.id}>
            <strong>{t.toStatus ?? LABELS[t.action] ?? t.action}</strong> · {formatDateTime(t.createdAt)}
            {t.actor ? <span className="mono"> · {shortHash(t.actor, 6, 4)}</span> : t.actorKind !== "user" ? ` · ${t.actorKind}` : null}
            {t.reason && (privileged || t.toStatus !== WITHHELD_STATUS) ? ` — ${t.reason}` : null}
          </li>
        ))}
      </ol>
    </TitledSection>
  );
}
