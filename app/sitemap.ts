import type { MetadataRoute } from "next";
import { headers } from "next/headers";

import { sitemapContributions } from "@/lib/contributions/sitemap";
import { originOf } from "@/lib/http/origin";

const PUBLIC_PAGES = ["/", "/contributions", "/pricing", "/docs/api", "/status"];

/** The public pages and the newest public contributions (bounded; see lib/contributions/sitemap.ts). */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const origin = originOf(await headers());
  const recent = await sitemapContributions();
  return [
    ...PUBLIC_PAGES.map((path) => ({ url: `${origin}${path}`, changeFrequency: "daily" as const })),
    ...recent.map((c) => ({ url: `${origin}/contributions/${c.id}`, lastModified: c.updatedAt })),
  ];
}
