/**
 * The sections of the site, in header order. A section is listed only once its page exists, so the
 * header never links to a 404 (e2e checks every link it renders); role sections show to that role.
 */
export interface NavLink {
  href: string;
  label: string;
  role?: "verifier" | "admin";
}

export const NAV_LINKS: readonly NavLink[] = [
  { href: "/contributions", label: "Contributions" },
  { href: "/upload", label: "Upload" },
  { href: "/verify", label: "Verify", role: "verifier" },
  { href: "/dashboard", label: "Dashboard" },
  { href: "/admin", label: "Admin", role: "admin" },
  { href: "/pricing", label: "Pricing" },
  { href: "/docs/api", label: "API" },
  { href: "/status", label: "Status" },
];
