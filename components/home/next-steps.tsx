import Link from "next/link";

import type { UserRole } from "@/db/schema";

interface Step {
  id: string;
  title: string;
  text: string;
  /** Where the step is done; none when it is done elsewhere on the page (signing in: the header's button). */
  link?: { href: string; action: string };
}

/** What each role does next, most specific first; a visitor is shown how to look around and how to sign in. */
const SIGN_IN = "Press Connect wallet at the top of the page: your wallet signs a message — no password, no transaction. Then upload, or review if you are a verifier.";
const SIGN_IN_DEMO = "No wallet needed here: press Connect wallet and choose “Try with a demo wallet”, or sign in as the demo admin, verifier or contributor to walk each role in a minute.";

function stepsFor(roles: readonly UserRole[] | null, demo: boolean): Step[] {
  if (!roles) {
    return [
      { id: "browse", title: "Look around", text: "Every contribution, its votes once decided, and its file are public.", link: { href: "/contributions", action: "Browse contributions" } },
      { id: "sign-in", title: demo ? "Try every role" : "Sign in", text: demo ? SIGN_IN_DEMO : SIGN_IN },
    ];
  }
  const steps: Step[] = [];
  if (roles.includes("admin")) steps.push({ id: "admin", title: "Run the platform", text: "Setup, revenue, appeals, moderation and payouts.", link: { href: "/admin", action: "Open the admin console" } });
  if (roles.includes("verifier")) steps.push({ id: "verify", title: "Review work", text: "Take your next assignment: you vote sealed, and see the others once it is decided.", link: { href: "/verify", action: "Take an assignment" } });
  steps.push({ id: "upload", title: "Contribute", text: "Upload code, a dataset or a document: the AI agent votes within seconds, then verifiers.", link: { href: "/upload", action: "Upload a contribution" } });
  steps.push({ id: "dashboard", title: "Follow your work", text: "Your contributions, their status and your rewards.", link: { href: "/dashboard", action: "Your dashboard" } });
  return steps;
}

export function NextSteps({ roles, demo }: { roles: readonly UserRole[] | null; demo: boolean }) {
  const steps = stepsFor(roles, demo);
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title" className="section-title">
        {roles ? "What to do next" : "Try it"}
      </h2>
      <div className="grid" data-testid="next-steps">
        {steps.map((s, i) => (
          <div key={s.id} className="card" data-testid={`cta-${s.id}`}>
            <h3>{s.title}</h3>
            <p>{s.text}</p>
            {s.link ? (
              <Link className={`button ${i === 0 ? "button-primary" : "button-secondary"}`} href={s.link.href}>
                {s.link.action}
              </Link>
            ) : null}
          </div>
        ))}
      </div>
    </section>
  );
}
