import type { Metadata } from "next";

import { checkReadiness } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Status" };

export default async function StatusPage() {
  const { status, checks } = await checkReadiness();
  const db = checks.database;
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
        <section className="card" aria-labelledby="overall-title">
          <h2 id="overall-title">Overall</h2>
          <p>
            <span className={`badge ${status === "ok" ? "badge-ok" : "badge-danger"}`} data-testid="status-overall">
              {status}
            </span>
          </p>
        </section>
      </div>
    </>
  );
}
