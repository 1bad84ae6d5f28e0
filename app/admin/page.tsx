import type { Metadata } from "next";
import Link from "next/link";
import { checksum } from "@/lib/checksum";

import { PayRewardsButton, RetryBatchButton } from "@/components/admin/payout-buttons";
import { RequeueButton } from "@/components/admin/requeue-button";
import { StatusBadge } from "@/components/contributions/status-badge";
import { RoleToggle } from "@/components/admin/role-toggle";
import { UnappliedStripeEvents } from "@/components/admin/stripe-events";
import { StackedBarChart } from "@/components/charts/bar-chart";
import { CONTRIBUTION_STATUSES } from "@/db/vocabulary";
import { apiMetrics, heldContributions, rewardMetrics, revenue, userMetrics, verificationMetrics } from "@/lib/admin/metrics";
import { pageUser } from "@/lib/auth/page-guards";
import { chainName, txUrl } from "@/lib/chains";
import { formatDateTime, shortHash } from "@/lib/format";
import { listPayoutBatches } from "@/lib/rewards/payout";
import { payoutConfig, payoutsEnabled } from "@/lib/rewards/payout-config";
import { limitSchema } from "@/lib/pagination";
import { listUsers } from "@/lib/users/list";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Admin" };

type Search = Promise<SearchParams>;
const one = firstParam;

const usd = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const nwu = (n: number) => `${n.toLocaleString("en-US", { maximumFractionDigits: 2 })} NWU`;

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <section className="card" aria-label={label}>
      <h3>{label}</h3>
      <p className="stat" data-testid={testId}>
        {value}
      </p>
    </section>
  );
}

export default async function AdminPage({ searchParams }: { searchParams: Search }) {
  await pageUser("admin");
  const params = await searchParams;
  const q = one(params.q)?.slice(0, 100);
  const cursor = pageCursor(params);
  const payouts = payoutConfig();
  const batchCursor = pageCursor(params, "batch_cursor");
  const [page, money, people, verification, api, rewards, held, batches] = await Promise.all([
    listUsers({ q, cursor, limit: limitSchema.catch(50).parse(one(params.limit)) }),
    revenue(),
    userMetrics(),
    verificationMetrics(),
    apiMetrics(),
    rewardMetrics(),
    heldContributions(),
    listPayoutBatches({ cursor: batchCursor, limit: 20 }),
  ]);
  return (
    <>
      <h1>Admin</h1>
      <section aria-labelledby="revenue-title">
        <h2 id="revenue-title" className="section-title">
          Revenue
        </h2>
        <div className="cards">
          <Figure label="MRR" value={usd(money.mrrCents)} testId="admin-mrr" />
          <Figure label="ARR" value={usd(money.arrCents)} testId="admin-arr" />
          <Figure label="Revenue this month" value={usd(money.monthCents)} testId="admin-month-revenue" />
          <Figure label="Churn (30 days)" value={`${(money.churn30d * 100).toFixed(1)}%`} testId="admin-churn" />
          <Figure label="Active subscriptions" value={money.activeSubscriptions} testId="admin-active-subs" />
        </div>
        <StackedBarChart
          title="Daily revenue, last 90 days (USD)"
          labels={money.daily.map((d) => d.date)}
          series={[{ key: "usd", label: "revenue", color: "#16a34a" }]}
          values={money.daily.map((d) => ({ usd: d.cents / 100 }))}
        />
      </section>
      <UnappliedStripeEvents cursor={one(params.stripe_events_cursor)} />
      <section aria-labelledby="people-title">
        <h2 id="people-title" className="section-title">
          People
        </h2>
        <div className="cards">
          <Figure label="Total" value={people.total} testId="admin-users-total" />
          <Figure label="Active in 30 days" value={people.active30} testId="admin-users-active" />
          <Figure label="New this week" value={people.newWeek} testId="admin-users-new" />
        </div>
      </section>
      <section aria-labelledby="verification-title">
        <h2 id="verification-title" className="section-title">
          Verification
        </h2>
        <div className="cards">
          {CONTRIBUTION_STATUSES.map((s) => (
            <Figure key={s} label={s} value={verification.byStatus[s] ?? 0} testId={`admin-status-${s}`} />
          ))}
          <Figure label="Oldest open (minutes)" value={Math.round(verification.queueAgeSeconds / 60)} testId="admin-queue-age" />
        </div>
        {verification.deadJobs.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="dead-jobs">
              <caption>Dead jobs</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {verification.deadJobs.map((j) => (
                  <tr key={j.id}>
                    <td>{j.kind}</td>
                    <td>{j.attempts}</td>
                    <td>{j.last_error}</td>
                    <td>
                      <RequeueButton id={j.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card">No dead jobs.</p>
        )}
      </section>
      <section aria-labelledby="moderation-title">
        <h2 id="moderation-title" className="section-title">
          Moderation
        </h2>
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
      </section>
      <section aria-labelledby="api-admin-title">
        <h2 id="api-admin-title" className="section-title">
          API and rewards
        </h2>
        <div className="cards">
          <Figure label="API calls today" value={api.today} testId="admin-api-today" />
          <Figure label="API calls this month" value={api.month} testId="admin-api-month" />
          <Figure label="Rewards pending" value={nwu(rewards.pending)} testId="admin-rewards-pending" />
          <Figure label="Rewards distributed" value={nwu(rewards.distributed)} testId="admin-rewards-distributed" />
        </div>
        {api.top.length ? (
          <ol data-testid="top-consumers">
            {api.top.map((t) => (
              <li key={t.address} className="mono">
                {checksum(t.address)}: {t.requests.toLocaleString("en-US")}
              </li>
            ))}
          </ol>
        ) : null}
      </section>
      <section aria-labelledby="payouts-title">
        <h2 id="payouts-title" className="section-title">
          Payouts
        </h2>
        {payoutsEnabled(payouts) ? (
          <p className="card" data-testid="payout-config">
            Paying on {chainName(payouts.chainId)} from distributor <span className="mono">{checksum(payouts.distributor)}</span>, signed by{" "}
            <span className="mono">{payouts.wallet.address}</span>; up to {payouts.batchSize} rewards per batch, {payouts.confirmations} confirmation
            {payouts.confirmations === 1 ? "" : "s"}.
          </p>
        ) : (
          <p className="card" data-testid="payout-config" role="note">
            {payouts.disabled}
          </p>
        )}
        <PayRewardsButton disabled={!payoutsEnabled(payouts) || rewards.pending <= 0} />
        {batches.items.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="payout-batches">
              <caption>Payout batches, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rewards</th>
                  <th scope="col">Total</th>
                  <th scope="col">Transaction</th>
                  <th scope="col">Error</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {batches.items.map((b) => {
                  const link = b.tx_hash ? txUrl(b.chain_id, b.tx_hash) : null;
                  return (
                    <tr key={b.id} data-batch-id={b.id} data-status={b.status}>
                      <td>{formatDateTime(b.created_at)}</td>
                      <td>
                        <StatusBadge status={b.status} />
                      </td>
                      <td>{b.reward_count}</td>
                      <td>{b.total_amount} NWU</td>
                      <td className="mono" title={b.tx_hash ?? undefined}>
                        {b.tx_hash ? link ? <a href={link}>{shortHash(b.tx_hash)}</a> : shortHash(b.tx_hash) : "—"}
                      </td>
                      <td>{b.error ?? ""}</td>
                      <td>{b.status === "failed" ? <RetryBatchButton id={b.id} /> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card">No payout batches yet.</p>
        )}
        {batches.nextCursor ? (
          <Link className="button button-secondary" href={`/admin?batch_cursor=${batches.nextCursor}`}>
            Older batches
          </Link>
        ) : null}
      </section>
      <section aria-labelledby="users-title">
        <h2 id="users-title" className="section-title">
          Users
        </h2>
        <form role="search" className="toolbar" action="/admin">
          <label htmlFor="user-q">Search by address prefix or username</label>
          <input id="user-q" name="q" defaultValue={q ?? ""} placeholder="0x… or username" />
          <button type="submit" className="button button-secondary">
            Search
          </button>
        </form>
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Username</th>
                <th scope="col">Roles</th>
                <th scope="col">Reputation</th>
                <th scope="col">Joined</th>
                <th scope="col">Role changes</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((u) => (
                <tr key={u.id} data-address={u.address}>
                  <td className="mono" title={checksum(u.address)}>
                    {shortHash(checksum(u.address), 8, 6)}
                  </td>
                  <td>{u.username ?? "—"}</td>
                  <td>{u.roles.join(", ")}</td>
                  <td>{u.reputation.toFixed(1)}</td>
                  <td>{u.createdAt.toISOString().slice(0, 10)}</td>
                  <td>
                    <span className="role-actions">
                      <RoleToggle address={u.address} role="verifier" holds={u.roles.includes("verifier")} />
                      <RoleToggle address={u.address} role="agent" holds={u.roles.includes("agent")} />
                    </span>
                  </td>
                </tr>
              ))}
              {page.items.length === 0 ? (
                <tr>
                  <td colSpan={6}>No users match.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {page.nextCursor ? (
          <Link className="button button-secondary" href={`/admin?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}`}>
            Next page
          </Link>
        ) : null}
      </section>
    </>
  );
}
