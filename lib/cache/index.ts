import "server-only";

import { getDbHandle } from "@/db/client";
import { currentReadScope } from "@/db/read-scope";
import { getEnv } from "@/lib/config/env";

import { connectCache, type CacheFeed } from "./feed";
import type { CacheStats, Dependencies, Filled } from "./query-cache";

export type { Dependencies, Filled } from "./query-cache";

const globalForCache = globalThis as unknown as { __nwuCache?: CacheFeed };

/** This process's cache on its current database (a new one when the database handle changed); null when off. */
function currentFeed(): CacheFeed | null {
  const env = getEnv();
  if (env.CACHE_MAX_STALENESS_MS === 0) return null;
  const handle = getDbHandle();
  let feed = globalForCache.__nwuCache;
  if (feed?.handle !== handle) {
    feed?.close();
    feed = connectCache(handle, { maxStalenessMs: env.CACHE_MAX_STALENESS_MS, maxEntries: env.CACHE_MAX_ENTRIES, maxBytes: env.CACHE_MAX_MB * 2 ** 20 });
    globalForCache.__nwuCache = feed;
  }
  return feed;
}

/**
 * A read answered from this instance's cache when that cannot be wrong (lib/cache/query-cache.ts),
 * else by `fill`. The answer must not depend on who asks: callers cache what every principal may
 * be shown and apply per-viewer rules (withheld content, sealed votes) to it afterwards. Answers
 * are shared between requests: never mutate one.
 */
export async function cached<T>(key: string, deps: Dependencies, fill: () => Promise<Filled<T>>): Promise<T> {
  const feed = currentFeed();
  if (!feed || wroteMomentsAgo(feed)) return (await fill()).value;
  const value = await feed.cache.get(key, deps, fill);
  // Listening and fences start (and keep going) after answers the database gave: a database that is
  // down gets no extra connections from the cache, only the request's own.
  feed.touch();
  return value;
}

/**
 * A reader who wrote moments ago (a read floor newer than the staleness bound: lib/http/read-floor.ts)
 * reads past every cache: an instance that has not heard of their write yet must not answer from
 * before it. An older floor (an API key's last write, yesterday) no longer matters.
 */
function wroteMomentsAgo(feed: CacheFeed): boolean {
  const floor = currentReadScope()?.floor ?? 0n;
  return floor > 0n && (feed.handle.replicas?.floorUnsettled(floor, getEnv().CACHE_MAX_STALENESS_MS) ?? true);
}

/** Hits, misses and bypasses so far (benchmarks, /api/health detail). */
export function cacheStats(): CacheStats | null {
  return globalForCache.__nwuCache?.cache.stats() ?? null;
}
