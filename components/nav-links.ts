/**
 * The sections of the site, in header order. A section is listed only once its page exists, so the
 * header never links to a 404 (e2e checks every link it renders).
 */
export interface NavLink {
  href: string;
  label: string;
}

export const NAV_LINKS: readonly NavLink[] = [
  { href: "/contributions", label: "Contributions" },
  { href: "/upload", label: "Upload" },
  { href: "/status", label: "Status" },
];
