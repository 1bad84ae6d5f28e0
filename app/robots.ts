import type { MetadataRoute } from "next";
import { headers } from "next/headers";

import { originOf } from "@/lib/http/origin";

/** Public pages are for search engines; the API, accounts' own pages and admin are not. */
export default async function robots(): Promise<MetadataRoute.Robots> {
  const origin = originOf(await headers());
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/admin", "/settings", "/dashboard", "/wallet", "/billing", "/upload", "/verify"] },
    sitemap: `${origin}/sitemap.xml`,
  };
}
