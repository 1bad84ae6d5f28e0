import Link from "next/link";

import { AccountControl } from "./auth/account-control";
import { MainNav } from "./main-nav";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container">
        <Link href="/" className="brand">
          NWU <span>Protocol</span>
        </Link>
        <MainNav />
        <AccountControl />
      </div>
    </header>
  );
}
