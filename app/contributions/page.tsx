import type { Metadata } from "next";
import Link from "next/link";

import { ContributionTable } from "@/components/contributions/contribution-table";
import { ContributionFilters } from "@/components/contributions/filters";
import { currentUser } from "@/lib/auth/authorize";
import { listContributions } from "@/lib/contributions/queries";
import { listQuery } from "@/lib/contributions/schemas";
import { ValidationError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { pageCursor } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Contributions" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function ContributionsPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  let query;
  try {
    query = parseQuery(listQuery, params);
  } catch (error) {
    const message = error instanceof ValidationError ? error.message : "Invalid filters";
    return (
      <>
        <h1>Contributions</h1>
        <ContributionFilters />
        <p role="alert" className="card error-text">
          {message}. <Link href="/contributions">Clear filters</Link>
        </p>
      </>
    );
  }
  // An edited or stale cursor starts at the first page, as on every other page.
  const page = await listContributions({ ...query, cursor: pageCursor(params) }, () => currentUser());
  const base = new URLSearchParams();
  for (const key of ["status", "type", "owner", "q", "limit"] as const) if (query[key] !== undefined) base.set(key, String(query[key]));
  if (!params.limit) base.delete("limit");
  const next = page.nextCursor ? `/contributions?${new URLSearchParams([...base, ["cursor", page.nextCursor]])}` : null;
  return (
    <>
      <h1>Contributions</h1>
      <ContributionFilters />
      <ContributionTable items={page.items} />
      <nav className="toolbar" aria-label="Pagination" style={{ marginTop: "1rem" }}>
        {query.cursor ? (
          <Link className="button button-secondary" href={`/contributions${base.size ? `?${base}` : ""}`}>
            First page
          </Link>
        ) : null}
        {next ? (
          <Link className="button button-secondary" href={next} rel="next">
            Next page
          </Link>
        ) : null}
      </nav>
    </>
  );
}
