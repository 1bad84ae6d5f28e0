import type { Metadata } from "next";
import Link from "next/link";

import { StatusBadge } from "@/components/contributions/status-badge";
import { pageUser } from "@/lib/auth/page-guards";
import { formatBytes, formatDateTime } from "@/lib/format";
import { limitSchema } from "@/lib/pagination";
import { awaitingVote } from "@/lib/contributions/awaiting-vote";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Verify" };

type Search = Promise<SearchParams>;
const one = firstParam;

export default async function VerifyPage({ searchParams }: { searchParams: Search }) {
  const user = await pageUser("verifier");
  const params = await searchParams;
  const cursor = pageCursor(params);
  const page = await awaitingVote({ verifierId: user.userId, cursor, limit: limitSchema.catch(50).parse(one(params.limit)) });
  return (
    <>
      <h1>Awaiting your vote</h1>
      <p>Open contributions you have not voted on, oldest first. Your own work is never listed.</p>
      {page.items.length === 0 ? (
        <p className="card" data-testid="verify-empty">
          Nothing is waiting for you. New uploads appear here as soon as they arrive.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="verify-queue">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Votes</th>
                <th scope="col">Size</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/verify/${c.id}`}>{c.title}</Link>
                  </td>
                  <td>{c.file_type}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.verification_count}</td>
                  <td>{formatBytes(c.size)}</td>
                  <td>{formatDateTime(c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <Link className="button button-secondary" href={`/verify?cursor=${page.nextCursor}`} rel="next">
          Next page
        </Link>
      ) : null}
    </>
  );
}
