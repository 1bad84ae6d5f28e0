
import { PayRewardsButton, RetryBatchButton } from "@/components/admin/payout-buttons";
import { ColumnHeads } from "@/components/column-heads";
import { StatusBadge } from "@/components/contributions/status-badge";
import { PageLinks } from "@/components/next-page-link";
import { TitledSection } from "@/components/titled-section";
import { chainName, txUrl } from "@/lib/chains";
import { checksum } from "@/lib/checksum";
import { formatDateTime, shortHash } from "@/lib/format";
import type { Page } from "@/lib/pagination";
import type { PublicPayoutBatch } from "@/lib/rewards/payout";
import { payoutsEnabled, type payoutConfig } from "@/lib/rewards/payout-config";
import { TableWrap } from "@/components/table-wrap";

type Props = { payouts: ReturnType<typeof payoutConfig>; pendingRewards: number; batches: Page<PublicPayoutBatch> };

export function PayoutsSection({ payouts, pendingRewards, batches }: Props) {
  return (
    <TitledSection id="payouts-title" title="Payouts">
      {payoutsEnabled(payouts) ? (
        <p className="card" data-testid="payout-config">
          Paying on {chainName(payouts.chainId)} from distributor <span className="mono">{checksum(payouts.distributor)}</span>, signed by{" "}
          <span className="mono">{payouts.wallet.address}</span>; up to {payouts.batchSize} rewards per batch, {payouts.confirmations} confirmation
          {payouts.confirmations === 1 ? "" : "s"}.
        </p>
      ) : (
        <p className="card" data-testid="payout-config" role="note">
          On-chain payouts are off: rewards stay pending until a chain is configured (see Setup, above).
        </p>
      )}
      <PayRewardsButton disabled={!payoutsEnabled(payouts) || pendingRewards <= 0} />
      {batches.items.length ? <PayoutBatchesTable batches={batches.items} /> : <p className="card">No payout batches yet.</p>}
      <PageLinks label="Payout batch pages" prev={batches.prevCursor ? `/admin?batch_cursor=${batches.prevCursor}` : null} next={batches.nextCursor && `/admin?batch_cursor=${batches.nextCursor}`} />
    </TitledSection>
  );
}

function PayoutBatchesTable({ batches }: { batches: PublicPayoutBatch[] }) {
  return (
    <TableWrap label="Payout batches">
      <table className="table" data-testid="payout-batches">
        <caption>Payout batches, newest first</caption>
        <ColumnHeads names={["Created", "Status", "Rewards", "Total", "Transaction", "Error", "Action"]} />
        <tbody>
          {batches.map((b) => (
            <PayoutBatchRow key={b.id} batch={b} />
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function PayoutBatchRow({ batch: b }: { batch: PublicPayoutBatch }) {
  const link = b.tx_hash ? txUrl(b.chain_id, b.tx_hash) : null;
  return (
    <tr data-batch-id={b.id} data-status={b.status}>
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
}
