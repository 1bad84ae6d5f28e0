import Link from "next/link";

import { AccountControl } from "./auth/account-control";
import { NAV_LINKS } from "./nav-links";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container">
        <Link href="/" className="brand">
          NWU <span>Protocol</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV_LINKS.map((link) => (
            <Link key={link.href} href={link.href}>
              {link.label}
            </Link>
          ))}
        </nav>
        <AccountControl />
      </div>
    </header>
  );
}
