import type { Metadata } from "next";

import { checkReadiness } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Status", description: "Whether NWU Protocol's services (database, IPFS node, jobs, payments, chain) are up right now." };

export default async function StatusPage() {
  const { status, checks, services } = await checkReadiness();
  const db = checks.database;
  const { ipfs, jobs } = checks;
  return (
    <>
      <h1>System status</h1>
      <div className="grid">
        <section className="card" aria-labelledby="db-title" data-testid="status-database">
          <h2 id="db-title">Database</h2>
          <p>
            <span className={`badge ${db.ok ? "badge-ok" : "badge-danger"}`}>{db.ok ? "ready" : "unavailable"}</span>{" "}
            {db.driver === "pglite" ? "embedded PGlite" : "PostgreSQL"}
            {db.migrations ? ` · migrations ${db.migrations.applied}/${db.migrations.expected}` : ""} · {db.latencyMs} ms
          </p>
          {db.reason ? <p role="alert">{db.reason}</p> : null}
        </section>
        <section className="card" aria-labelledby="ipfs-title" data-testid="status-ipfs">
          <h2 id="ipfs-title">IPFS node</h2>
          <p>
            <span className={`badge ${ipfs.ok ? "badge-ok" : "badge-danger"}`}>{ipfs.ok ? "ready" : "unavailable"}</span> network {ipfs.network} · {ipfs.latencyMs} ms
          </p>
          {ipfs.reason ? <p role="alert">{ipfs.reason}</p> : null}
        </section>
        {jobs ? (
          <section className="card" aria-labelledby="jobs-title" data-testid="status-jobs">
            <h2 id="jobs-title">Background jobs</h2>
            <p>
              <span className={`badge ${jobs.ok ? "badge-ok" : "badge-warn"}`}>{jobs.ok ? "keeping up" : "behind"}</span> lag {jobs.lagSeconds} s · {jobs.queued} queued ·{" "}
              {jobs.running} running · {jobs.dead} dead
            </p>
            {jobs.reason ? <p role="alert">{jobs.reason}</p> : null}
          </section>
        ) : null}
        <section className="card" aria-labelledby="services-title" data-testid="status-services">
          <h2 id="services-title">Services</h2>
          <ul>
            {(
              [
                ["Stripe (payments)", services.stripe],
                ["Chain RPC (payouts)", services.chain],
                ["LLM agent", services.llm],
              ] as const
            ).map(([label, s]) => (
              <li key={label}>
                {label}: {s.configured ? `configured${s.circuit && s.circuit !== "closed" ? ` · circuit ${s.circuit}` : ""}` : "not configured"}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="overall-title">
          <h2 id="overall-title">Overall</h2>
          <p>
            <span className={`badge ${status === "ok" ? "badge-ok" : status === "degraded" ? "badge-warn" : "badge-danger"}`} data-testid="status-overall">
              {status}
            </span>
          </p>
        </section>
      </div>
    </>
  );
}
