import "server-only";

import { randomUUID } from "node:crypto";

import { ALL_ROWS, CACHE_CHANNEL, CACHED_TABLES, type CachedTable } from "@/db/cache-tags";
import type { DbHandle } from "@/db/client";
import { onWrites } from "@/db/write-watch";
import { log } from "@/lib/log";

import { QueryCache, type CacheOptions } from "./query-cache";

/**
 * A QueryCache fed by PostgreSQL: the triggers' NOTIFYs on nwu_cache (committed changes, from
 * every instance and the worker), this instance's fences on the same channel, and this process's
 * own writes (db/write-watch). Fences go out every quarter of the staleness bound while the cache
 * is used, and after each local write; after a minute unused they stop.
 */
export interface CacheFeed {
  readonly handle: DbHandle;
  readonly cache: QueryCache;
  /** A lookup is coming: keep the fences going. */
  touch(): void;
  close(): void;
}

const FENCE = "~";
const IDLE_MS = 60_000;
const TABLES = new Set<string>(CACHED_TABLES);

export function connectCache(handle: DbHandle, options: CacheOptions): CacheFeed {
  const cache = new QueryCache(options);
  const instance = randomUUID();
  const beatMs = Math.max(10, Math.floor(options.maxStalenessMs / 4));
  let listening: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastTouch = 0;
  let sending = false;
  let again = false;
  let closed = false;

  const onMessage = (payload: string) => {
    const [head, ...rest] = payload.split(" ");
    if (head === FENCE) {
      if (rest[0] === instance) cache.fenced(Number(rest[1]));
      return;
    }
    if (!head || !TABLES.has(head)) return;
    // Replicas serve this process's reads again once they replayed past a sample taken after this.
    handle.replicas?.noteChange();
    cache.invalidate(head as CachedTable, rest[0] === ALL_ROWS ? ALL_ROWS : rest);
  };

  // On every (re)connect of the listening connection: what was said while it was down is lost.
  const onListen = () => {
    handle.replicas?.noteChange();
    cache.clear(CACHED_TABLES);
    sendFence();
  };

  function sendFence(): void {
    if (closed) return;
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    const payload = `${FENCE} ${instance} ${cache.fenceTime()}`;
    const sent = handle.sql ? handle.sql.unsafe("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, payload]) : handle.pglite!.query("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, payload]);
    Promise.resolve(sent)
      .catch((error: unknown) => log.debug("cache fence not sent", { error }))
      .finally(() => {
        sending = false;
        if (again) {
          again = false;
          sendFence();
        }
      });
  }

  const beat = () => {
    if (performance.now() - lastTouch > IDLE_MS) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    sendFence();
  };

  const unwatch = onWrites({
    started: (tables) => cache.writeStarted(tables),
    ended: (tables) => {
      cache.writeEnded(tables);
      if (cache.awaitingFence()) sendFence();
    },
  });

  return {
    handle,
    cache,
    touch() {
      lastTouch = performance.now();
      listening ??= (handle.sql ? handle.sql.listen(CACHE_CHANNEL, onMessage, onListen) : handle.pglite!.listen(CACHE_CHANNEL, onMessage).then(onListen)).catch((error: unknown) => {
        listening = undefined;
        log.warn("query cache: LISTEN failed, the cache stays unused until it succeeds", { error });
      });
      if (!timer && !closed) {
        timer = setInterval(beat, beatMs);
        timer.unref();
        sendFence();
      }
    },
    close() {
      closed = true;
      clearInterval(timer);
      unwatch();
    },
  };
}
