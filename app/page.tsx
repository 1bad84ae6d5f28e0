import Link from "next/link";

import { NextSteps } from "@/components/home/next-steps";
import { PlatformFiguresSection } from "@/components/home/platform-figures";
import { NAV_LINKS } from "@/components/nav-links";
import { currentUser } from "@/lib/auth/authorize";
import { getEnv } from "@/lib/config/env";
import { platformFigures, recentVerified } from "@/lib/contributions/overview";
import { withPageReads } from "@/lib/http/read-floor";

export default async function HomePage() {
  const [user, figures, recent] = await Promise.all([currentUser(), withPageReads(platformFigures), withPageReads(() => recentVerified(5))]);
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Open work, verified and rewarded.</h1>
        <p>
          NWU Protocol is a platform where contributors sign in with an Ethereum wallet, publish code, datasets and
          documents to IPFS, and have each contribution checked by an AI agent and by human verifiers. When their votes
          reach consensus, verified work earns NWU token rewards, paid on chain.
        </p>
      </section>

      <NextSteps roles={user?.roles ?? null} demo={getEnv().demoMode} />
      <PlatformFiguresSection figures={figures} recent={recent} />

      <section aria-labelledby="how-title">
        <h2 id="how-title" className="section-title">
          How it works
        </h2>
        <ol className="steps">
          <li>
            <strong>Sign in with your wallet.</strong> Sign-In With Ethereum: no password, no email required.
          </li>
          <li>
            <strong>Upload a contribution.</strong> Files are content-addressed on IPFS; the CID proves the bytes.
          </li>
          <li>
            <strong>Get verified.</strong> The built-in AI agent scores it within seconds; verifiers vote; consensus
            decides once.
          </li>
          <li>
            <strong>Earn rewards.</strong> Verified work earns NWU tokens, scaled by quality, type and reputation.
          </li>
        </ol>
      </section>

      <section aria-labelledby="sections-title">
        <h2 id="sections-title" className="section-title">
          Sections
        </h2>
        <div className="grid">
          {NAV_LINKS.filter((link) => !link.role).map((link) => (
            <Link key={link.href} href={link.href} className="card">
              <h3>{link.label}</h3>
            </Link>
          ))}
          <div className="card">
            <h3>Public API</h3>
            <p>
              Machine-readable health at <code>/api/health</code>.
            </p>
          </div>
        </div>
      </section>
    </>
  );
}
