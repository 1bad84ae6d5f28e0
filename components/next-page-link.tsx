import Link from "next/link";
import type { ReactNode } from "react";

/** The link to a list's next page, or nothing on the last page (`href` null). */
export function NextPageLink({ href, children }: { href: string | null; children: ReactNode }) {
  return href ? (
    <Link className="button button-secondary" href={href} rel="next">
      {children}
    </Link>
  ) : null;
}

/** A paginated list's footer: its total, and Previous / Next links (each null at its end of the list). */
export function PageLinks({ total, prev, next, label = "Pagination" }: { total?: string; prev: string | null; next: string | null; label?: string }) {
  return (
    <nav className="toolbar" aria-label={label} style={{ marginTop: "1rem" }}>
      {total ? (
        <span className="muted" data-testid="list-total">
          {total}
        </span>
      ) : null}
      {prev ? (
        <Link className="button button-secondary" href={prev} rel="prev">
          Previous page
        </Link>
      ) : null}
      <NextPageLink href={next}>Next page</NextPageLink>
    </nav>
  );
}
