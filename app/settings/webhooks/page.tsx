import type { Metadata } from "next";
import Link from "next/link";

import { WebhookEndpointActions } from "@/components/webhooks/endpoint-actions";
import { WebhookEndpointForm } from "@/components/webhooks/endpoint-form";
import { pageUser } from "@/lib/auth/page-guards";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/lib/format";
import { currentPlan } from "@/lib/payments/current-plan";
import { listEndpoints, MAX_ENDPOINTS, type EndpointState } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks", description: "Signed webhooks (Standard Webhooks) for your contributions' decisions, rewards and payouts." };

const STATE_BADGE: Record<EndpointState, string> = { active: "badge badge-ok", paused: "badge badge-warn", disabled: "badge badge-danger" };

export default async function WebhooksPage() {
  const user = await pageUser();
  const admin = user.roles.includes("admin");
  const [endpoints, plan] = await Promise.all([listEndpoints(user.userId, { limit: MAX_ENDPOINTS }), currentPlan(getDb(), user.userId)]);
  const mayRegister = admin || plan !== "free";
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Get told the moment your work is decided, rewarded or paid: events are POSTed to your endpoints, signed as{" "}
        <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> (verify them with the <code>standardwebhooks</code> library and your
        endpoint&apos;s secret). Failed deliveries are retried with backoff for 24 h; an endpoint failing for 24 h is disabled and its events wait 72 h.
      </p>
      {mayRegister ? (
        <WebhookEndpointForm admin={admin} />
      ) : (
        <p className="card" data-testid="webhooks-upgrade">
          Webhooks come with a paid plan. <Link href="/pricing">See the plans</Link>; endpoints you registered on a paid plan are paused, not deleted.
        </p>
      )}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title" className="section-title">
          Your endpoints
        </h2>
        {endpoints.items.length === 0 ? (
          <p className="card">No endpoints yet.</p>
        ) : (
          <ul className="webhook-list" data-testid="webhook-endpoints">
            {endpoints.items.map((e) => (
              <li key={e.id} className="card" data-testid="webhook-endpoint">
                <p className="webhook-url mono">{e.url}</p>
                <p>
                  <span className={STATE_BADGE[e.status]}>{e.status}</span> {e.platform ? <span className="badge">platform-wide</span> : null}{" "}
                  <span className="muted">since {formatDateTime(e.createdAt)}</span>
                </p>
                {e.status === "paused" ? <p className="muted">Paused while you are on the free plan: it resumes when you upgrade.</p> : null}
                {e.disabledReason ? <p className="error-text">Disabled: {e.disabledReason}</p> : null}
                {e.failingSince && e.status === "active" ? <p className="error-text">Failing since {formatDateTime(e.failingSince)}: retrying with backoff.</p> : null}
                <p className="muted">{e.events.join(", ")}</p>
                <div className="button-row">
                  <Link href={`/settings/webhooks/${e.id}`} className="button button-secondary">
                    Deliveries
                  </Link>
                  <WebhookEndpointActions id={e.id} url={e.url} disabled={e.status === "disabled"} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
