import type { Metadata } from "next";

import { ColumnHeads } from "@/components/column-heads";
import { CreateApiKeyForm, RevokeKeyButton } from "@/components/billing/api-keys-panel";
import { getDb } from "@/db/client";
import { listApiKeys, scopesFor } from "@/lib/api-keys/keys";
import { pageUser } from "@/lib/auth/page-guards";
import { formatDateTime } from "@/lib/format";
import { currentPlan } from "@/lib/payments/current-plan";
import { PLANS } from "@/lib/payments/plans";
import { TableWrap } from "@/components/table-wrap";

export const metadata: Metadata = { title: "API keys", description: "Create, scope and revoke the API keys for NWU Protocol's REST API." };

export default async function ApiKeysPage() {
  const user = await pageUser();
  const [keys, plan] = await Promise.all([listApiKeys({ userId: user.userId, limit: 100 }), currentPlan(getDb(), user.userId)]);
  const spec = PLANS[plan];
  return (
    <>
      <h1>API keys</h1>
      <p>
        Your {spec.name} plan: {spec.daily.toLocaleString("en-US")} requests a day per key, bursts of {spec.burst} per 10 s, up to {spec.maxKeys} active
        keys. Send a key as <code>Authorization: Bearer nwu_…</code>; see the <a href="/docs/api">API reference</a>.
      </p>
      <CreateApiKeyForm scopes={scopesFor(user.roles)} />
      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className="section-title">
          Your keys
        </h2>
        {keys.items.length === 0 ? (
          <p className="card">No keys yet.</p>
        ) : (
          <TableWrap label="API keys">
            <table className="table" data-testid="keys-table">
              <ColumnHeads names={["Name", "Key", "Scopes", "Last used", "Expires", "State"]} />
              <tbody>
                {keys.items.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td className="mono">
                      {k.prefix}…{k.last4}
                    </td>
                    <td>{k.scopes.join(", ")}</td>
                    <td>{k.last_used_at ? formatDateTime(k.last_used_at) : "never"}</td>
                    <td>{k.expires_at ? formatDateTime(k.expires_at) : "never"}</td>
                    <td>{k.active ? <RevokeKeyButton id={k.id} name={k.name} /> : "revoked"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}
