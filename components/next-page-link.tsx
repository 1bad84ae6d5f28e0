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
