import type { Metadata } from "next";
import Link from "next/link";

import { ContributionTable } from "@/components/contributions/contribution-table";
import { ContributionFilters } from "@/components/contributions/filters";
import { PageLinks } from "@/components/next-page-link";
import { currentUser } from "@/lib/auth/authorize";
import { countContributions, listContributions } from "@/lib/contributions/queries";
import { listQuery } from "@/lib/contributions/schemas";
import { ValidationError } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { pageCursor } from "@/lib/http/search-params";
import { formatTotal } from "@/lib/pagination";
import { withPageReads } from "@/lib/http/read-floor";

export const metadata: Metadata = {
  title: "Contributions",
  description: "Browse code, datasets and documents contributed to NWU Protocol, newest first: filter by status, type or owner, or search titles.",
};

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
  const [page, total] = await withPageReads(() => Promise.all([listContributions({ ...query, cursor: pageCursor(params, "cursor", true) }, () => currentUser()), countContributions(query)]));
  const base = new URLSearchParams();
  for (const key of ["status", "type", "owner", "q", "limit"] as const) if (query[key] !== undefined) base.set(key, String(query[key]));
  if (!params.limit) base.delete("limit");
  const at = (cursor: string | null | undefined) => (cursor ? `/contributions?${new URLSearchParams([...base, ["cursor", cursor]])}` : null);
  return (
    <>
      <h1>Contributions</h1>
      <ContributionFilters />
      <ContributionTable items={page.items} />
      <PageLinks total={formatTotal(total, "contribution")} prev={at(page.prevCursor)} next={at(page.nextCursor)} />
    </>
  );
}
