"use client";

import Link from "next/link";
import { memo } from "react";

import { ColumnHeads } from "@/components/column-heads";
import { formatBytes, formatDateTime, shortHash } from "@/lib/format";
import type { PublicContribution } from "@/lib/contributions/model";

import { LiveBadge } from "./live-badge";
import { StatusBadge } from "./status-badge";

type Row = Pick<PublicContribution, "id" | "cid" | "title" | "file_type" | "status" | "quality_score" | "size" | "owner" | "created_at" | "updated_at">;

// A row re-renders only when its own contribution changed (filters and pages reuse unchanged rows).
const ContributionRow = memo(
  function ContributionRow({ c, live }: { c: Row; live: boolean }) {
    // A withheld row (halted, seen by someone other than its owner or an admin) has no content to link to.
    const withheld = c.cid === "";
    return (
      <tr data-testid="contribution-row">
        <td className="wrap">{withheld ? <em>{c.title}</em> : <Link href={`/contributions/${c.id}`}>{c.title}</Link>}</td>
        <td>{c.file_type}</td>
        <td>{live ? <LiveBadge id={c.id} status={c.status} /> : <StatusBadge status={c.status} />}</td>
        <td>{c.quality_score ?? "—"}</td>
        <td>{withheld ? "—" : formatBytes(c.size)}</td>
        <td className="mono" title={c.owner}>
          {shortHash(c.owner, 6, 4)}
        </td>
        <td>{formatDateTime(c.created_at)}</td>
      </tr>
    );
  },
  (a, b) => a.c.id === b.c.id && a.c.updated_at === b.c.updated_at && a.live === b.live,
);

export function ContributionTable({ items, live = false }: { items: Row[]; live?: boolean }) {
  if (items.length === 0) {
    return (
      <p className="card" data-testid="contributions-empty">
        No contributions match these filters yet.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="contributions-table">
        <ColumnHeads names={["Title", "Type", "Status", "Quality", "Size", "Owner", "Uploaded"]} />
        <tbody>
          {items.map((c) => (
            <ContributionRow key={c.id} c={c} live={live} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
