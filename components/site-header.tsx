import Link from "next/link";

import { AccountControl } from "./auth/account-control";
import { DemoBadge } from "./auth/demo-badge";
import { MainNav } from "./main-nav";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container">
        <Link href="/" className="brand">
          NWU <span>Protocol</span>
        </Link>
        <DemoBadge />
        <MainNav />
        <AccountControl />
      </div>
    </header>
  );
}
