import type { Metadata } from "next";
import Link from "next/link";

import { ColumnHeads } from "@/components/column-heads";
import { checksum } from "@/lib/checksum";

import { CopyButton } from "@/components/contributions/copy-button";
import { PageLinks } from "@/components/next-page-link";
import { StatusBadge } from "@/components/contributions/status-badge";
import { pageUser } from "@/lib/auth/page-guards";
import { chainName, txUrl } from "@/lib/chains";
import { formatDateTime, formatMonth, shortHash } from "@/lib/format";
import { formatTotal } from "@/lib/pagination";
import { getUserRewards } from "@/lib/users/stats";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";
import { TableWrap } from "@/components/table-wrap";
import { withPageReads } from "@/lib/http/read-floor";

export const metadata: Metadata = { title: "Wallet", description: "Your NWU token rewards: pending, paid out, and their transactions." };

type Search = Promise<SearchParams>;
const one = firstParam;
const TABS = [
  { key: "all", label: "All" },
  { key: "pending", label: "Pending" },
  { key: "processing", label: "Processing" },
  { key: "distributed", label: "Distributed" },
  { key: "failed", label: "Failed" },
] as const;

/** What a reward pays for: "Verification", or "API use, Nov 2026" for a month's revenue share. */
const rewardFor = (r: { kind: string; period: string | null }) => (r.period ? `API use, ${formatMonth(r.period, "short")}` : "Verification");

const rewardsAt = (tab: string, cursor: string | null | undefined) => (cursor ? `/wallet?tab=${tab}&cursor=${cursor}` : null);

export default async function WalletPage({ searchParams }: { searchParams: Search }) {
  const user = await pageUser();
  const params = await searchParams;
  const tab = TABS.find((t) => t.key === one(params.tab))?.key ?? "all";
  const cursor = pageCursor(params, "cursor", true);
  const { totals, count, page } = await withPageReads(() => getUserRewards({ address: user.address, status: tab === "all" ? undefined : tab, cursor, limit: 20 }));
  const address = checksum(user.address);
  return (
    <>
      <h1>Wallet</h1>
      <section className="card" aria-labelledby="address-title">
        <h2 id="address-title">Address</h2>
        <p className="mono" data-testid="wallet-address">
          {address} <CopyButton value={address} label="Copy address" />
        </p>
        <p>Signed in on {chainName(user.chainId)}</p>
      </section>
      <div className="cards">
        <section className="card" aria-label="Earned from API use">
          <h2>Earned from API use</h2>
          <p className="stat" data-testid="wallet-api-use">
            {totals.api_use.toLocaleString("en-US", { maximumFractionDigits: 6 })} NWU
          </p>
        </section>
        {(["pending", "processing", "distributed", "failed"] as const).map((k) => (
          <section key={k} className="card" aria-label={`${k} rewards`}>
            <h2>{k[0]!.toUpperCase() + k.slice(1)}</h2>
            <p className="stat" data-testid={`wallet-${k}`}>
              {totals[k].toLocaleString("en-US", { maximumFractionDigits: 2 })} NWU
            </p>
          </section>
        ))}
      </div>
      <nav className="toolbar" aria-label="Reward filters">
        {TABS.map((t) => (
          <Link key={t.key} href={`/wallet?tab=${t.key}`} className={`button ${t.key === tab ? "button-primary" : "button-secondary"}`} aria-current={t.key === tab ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {page.items.length === 0 ? (
        <p className="card">No rewards here yet. Verified contributions earn NWU.</p>
      ) : (
        <TableWrap label="Rewards">
          <table className="table" data-testid="rewards-table">
            <ColumnHeads names={["Contribution", "For", "Amount", "Status", "Transaction", "Earned", "Paid"]} />
            <tbody>
              {page.items.map((r) => {
                const link = r.tx_hash ? txUrl(r.chain_id, r.tx_hash) : null;
                return (
                  <tr key={r.id} data-testid="reward-row" data-status={r.status} data-kind={r.kind}>
                    <td>
                      <Link href={`/contributions/${r.contribution_id}`}>{r.contribution_title}</Link>
                    </td>
                    <td>{rewardFor(r)}</td>
                    <td>{r.amount} NWU</td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.failure_reason ? <small className="muted"> {r.failure_reason}</small> : null}
                    </td>
                    <td className="mono" data-testid="reward-tx" data-tx-hash={r.tx_hash ?? undefined} title={r.tx_hash ?? undefined}>
                      {r.tx_hash ? (
                        <>
                          {link ? <a href={link}>{shortHash(r.tx_hash)}</a> : shortHash(r.tx_hash)} <CopyButton value={r.tx_hash} label="Copy transaction hash" />
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>{formatDateTime(r.created_at)}</td>
                    <td>{r.distributed_at ? formatDateTime(r.distributed_at) : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <PageLinks label="Reward pages" total={formatTotal(count, "reward")} prev={rewardsAt(tab, page.prevCursor)} next={rewardsAt(tab, page.nextCursor)} />
    </>
  );
}
