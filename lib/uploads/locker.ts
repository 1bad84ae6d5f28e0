import "server-only";

import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/utils";
import postgres from "postgres";
import { sql } from "drizzle-orm";

import { getDb, getDbHandle } from "@/db/client";
import { getEnv } from "@/lib/config/env";
import { listenChannel } from "@/lib/events/bus";
import { log } from "@/lib/log";
import { sleep } from "@/lib/sleep";

/** How long a request waits for an upload's lock before giving up (tus's own default). */
const ACQUIRE_TIMEOUT_MS = 30_000;
/** First key of the two-key advisory lock: this app's upload locks, apart from anyone else's. */
const LOCK_NAMESPACE = 0x7475_73; // "tus"
const RELEASE_CHANNEL = "upload_lock_release";
/** Connections kept for held upload locks (one per upload being written at this moment). */
const LOCK_CONNECTIONS = 32;

/**
 * Serializes requests on one upload across every instance on the database: a session-level
 * PostgreSQL advisory lock, held on a connection of its own for as long as the request writes.
 * A request that finds the lock taken asks the holder to let go (tus's "request release": the
 * holder, maybe a stalled PATCH on another instance, stops and answers) through NOTIFY, then
 * retries until it gets it or times out. A crashed instance's locks go with its connections.
 */
class AdvisoryLocker implements Locker {
  /** This instance's holders, by upload id: told to let go when another request wants the lock. */
  readonly holders = new Map<string, RequestRelease>();
  private listening?: Promise<unknown>;

  constructor(readonly sql: postgres.Sql) {}

  newLock(id: string): Lock {
    this.listening ??= listenChannel(RELEASE_CHANNEL, (uploadId) => void this.holders.get(uploadId)?.()).catch((error) => {
      this.listening = undefined;
      log.error("upload lock release channel unavailable", { error });
    });
    return new AdvisoryLock(this, id);
  }
}

class AdvisoryLock implements Lock {
  private held?: postgres.ReservedSql;

  constructor(
    private readonly locker: AdvisoryLocker,
    private readonly id: string,
  ) {}

  async lock(stop: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
    const connection = await reserveWithin(this.locker.sql, ACQUIRE_TIMEOUT_MS);
    try {
      for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
        const [row] = await connection<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${this.id})) AS ok`;
        if (row!.ok) break;
        await this.askHolderToRelease();
        if (stop.aborted || Date.now() + wait > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await sleep(wait, stop).catch(() => {});
      }
    } catch (error) {
      connection.release();
      throw error;
    }
    this.held = connection;
    this.locker.holders.set(this.id, requestRelease);
  }

  async unlock(): Promise<void> {
    const connection = this.held;
    if (!connection) throw new Error("Releasing an unlocked lock!");
    this.held = undefined;
    this.locker.holders.delete(this.id);
    try {
      await connection`SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${this.id}))`;
    } finally {
      connection.release();
    }
  }

  private async askHolderToRelease(): Promise<void> {
    const local = this.locker.holders.get(this.id);
    if (local) return void (await local());
    await getDb().execute(sql`SELECT pg_notify(${RELEASE_CHANNEL}, ${this.id})`);
  }
}

/**
 * One process's locks (embedded PGlite: one process, one connection, so advisory locks could not
 * tell two requests apart). Waiters sleep until the holder unlocks instead of spinning, as tus's
 * MemoryLocker does — an import holding the lock can take a minute.
 */
class InProcessLocker implements Locker {
  readonly held = new Map<string, { release: RequestRelease; unlocked: Promise<void>; unlock: () => void }>();

  newLock(id: string): Lock {
    let mine: { unlock: () => void } | undefined;
    return {
      lock: async (stop, requestRelease) => {
        const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
        for (let holder = this.held.get(id); holder; holder = this.held.get(id)) {
          await holder.release();
          const left = deadline - Date.now();
          if (stop.aborted || left <= 0) throw ERRORS.ERR_LOCK_TIMEOUT;
          await Promise.race([holder.unlocked, sleep(left, stop).catch(() => {})]);
        }
        let unlock!: () => void;
        const unlocked = new Promise<void>((resolve) => (unlock = resolve));
        mine = { unlock };
        this.held.set(id, { release: requestRelease, unlocked, unlock });
      },
      unlock: async () => {
        if (!mine) throw new Error("Releasing an unlocked lock!");
        this.held.delete(id);
        mine.unlock();
        mine = undefined;
      },
    };
  }
}

/** A connection of the lock pool, or ERR_LOCK_TIMEOUT when every one stays held past `ms`. */
async function reserveWithin(sql: postgres.Sql, ms: number): Promise<postgres.ReservedSql> {
  const reserving = sql.reserve();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(ERRORS.ERR_LOCK_TIMEOUT), ms)));
  try {
    return await Promise.race([reserving, timedOut]);
  } catch (error) {
    // Handed over after we gave up: back to the pool at once.
    void reserving.then((connection) => connection.release()).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const globalForLocker = globalThis as unknown as { __nwuUploadLocker?: { url: string | undefined; locker: Locker } };

/**
 * The upload locker for this process: advisory locks on PostgreSQL, in-process ones on PGlite.
 */
export function uploadLocker(): Locker {
  const url = getEnv().DATABASE_URL;
  const held = globalForLocker.__nwuUploadLocker;
  if (held && held.url === url) return held.locker;
  const locker =
    getDbHandle().driver === "postgres" && url
      ? new AdvisoryLocker(postgres(url, { max: LOCK_CONNECTIONS, idle_timeout: 60, connect_timeout: getEnv().DB_CONNECT_TIMEOUT_S, onnotice: () => {} }))
      : new InProcessLocker();
  globalForLocker.__nwuUploadLocker = { url, locker };
  return locker;
}

/** Runs `work` holding upload `id`'s lock, waiting up to `waitMs` for it (an import can take a while). */
export async function withUploadLock<T>(id: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  const lock = uploadLocker().newLock(id);
  for (;;) {
    try {
      // Nobody may make this one let go: it finishes what it started.
      await lock.lock(AbortSignal.timeout(Math.max(1, deadline - Date.now())), () => {});
      break;
    } catch (error) {
      if (error !== ERRORS.ERR_LOCK_TIMEOUT || Date.now() >= deadline) throw error;
    }
  }
  try {
    return await work();
  } finally {
    await lock.unlock();
  }
}
