"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState, type KeyboardEvent } from "react";

import { useSession } from "./auth/session-store";
import { NAV_LINKS } from "./nav-links";

const LIST_ID = "main-nav-links";

/**
 * The header's sections; role sections appear once the session says the role is held. On phones the
 * list folds behind a menu button (CSS decides when: the button is hidden on wider screens). The menu
 * remembers the path it was opened on, so any navigation closes it without an effect.
 */
export function MainNav() {
  const session = useSession();
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const open = openOn === pathname;
  const roles = session.status === "signed-in" ? session.roles : [];

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || !open) return;
    setOpenOn(null);
    toggle.current?.focus();
  };

  return (
    <nav className="nav" aria-label="Main" onKeyDown={onKeyDown}>
      <button ref={toggle} type="button" className="button button-secondary nav-toggle" aria-expanded={open} aria-controls={LIST_ID} onClick={() => setOpenOn(open ? null : pathname)}>
        <span aria-hidden="true" className="nav-toggle-icon" />
        <span className="nav-toggle-label">Menu</span>
      </button>
      <ul id={LIST_ID} className="nav-links" data-open={open}>
        {NAV_LINKS.filter((l) => !l.role || roles.includes(l.role)).map((link) => (
          <li key={link.href}>
            <Link href={link.href} onClick={() => setOpenOn(null)} aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
