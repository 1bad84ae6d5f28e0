import Link from "next/link";

import { StatCard } from "@/components/stat-card";
import type { PlatformFigures, RecentVerified } from "@/lib/contributions/overview";
import { shortHash } from "@/lib/format";

const nwu = (amount: string) => `${Number(amount).toLocaleString("en-US", { maximumFractionDigits: 2 })} NWU`;

/** Live figures and the newest verified work, read on every request. */
export function PlatformFiguresSection({ figures, recent }: { figures: PlatformFigures; recent: RecentVerified[] }) {
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title" className="section-title">
        On the platform now
      </h2>
      <div className="cards">
        <StatCard heading="h3" label="Contributions" value={figures.contributions.toLocaleString("en-US")} testId="figure-contributions" />
        <StatCard heading="h3" label="Verified" value={figures.verified.toLocaleString("en-US")} testId="figure-verified" />
        <StatCard heading="h3" label="Being verified" value={figures.open.toLocaleString("en-US")} testId="figure-open" />
        <StatCard heading="h3" label="Verifiers" value={figures.verifiers.toLocaleString("en-US")} testId="figure-verifiers" />
        <StatCard heading="h3" label="Rewards earned" value={nwu(figures.rewarded)} testId="figure-rewarded" />
      </div>
      <h3>Recently verified</h3>
      {recent.length === 0 ? (
        <p className="card">Nothing verified yet: the first verified contribution will be listed here.</p>
      ) : (
        <ul className="recent-list" data-testid="recent-verified">
          {recent.map((c) => (
            <li key={c.id}>
              <Link href={`/contributions/${c.id}`}>{c.title}</Link> <span className="badge">{c.fileType}</span>{" "}
              <span className="muted">
                score {c.qualityScore ?? "—"} · by {c.ownerName ?? shortHash(c.owner, 6, 4)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
