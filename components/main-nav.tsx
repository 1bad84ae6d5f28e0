"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { memo } from "react";

import { useSession } from "./auth/session-store";
import { NAV_LINKS } from "./nav-links";

/** The header's sections; role sections appear once the session says the role is held. */
export const MainNav = memo(function MainNav() {
  const session = useSession();
  const pathname = usePathname();
  const roles = session.status === "signed-in" ? session.roles : [];
  return (
    <nav className="nav" aria-label="Main">
      {NAV_LINKS.filter((l) => !l.role || roles.includes(l.role)).map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
});
