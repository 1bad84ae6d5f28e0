import Link from "next/link";

import { TitledSection } from "@/components/titled-section";
import type { heldContributions } from "@/lib/admin/metrics";

export function ModerationSection({ held }: { held: Awaited<ReturnType<typeof heldContributions>> }) {
  return (
    <TitledSection id="moderation-title" title="Moderation">
      {held.length ? (
        <ul data-testid="held-contributions">
          {held.map((c) => (
            <li key={c.id}>
              <Link href={`/contributions/${c.id}`}>{c.title}</Link> — {c.status}
              {c.halt_reason ? `: ${c.halt_reason}` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p className="card">Nothing halted or paused.</p>
      )}
    </TitledSection>
  );
}
