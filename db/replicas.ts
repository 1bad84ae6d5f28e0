import type postgres from "postgres";

import type { Db } from "./client";
import { formatLsn, parseLsn } from "./lsn";

/**
 * Streaming replicas of the primary, and what this process knows of how far each has replayed.
 *
 * How stale a replica is comes from WAL positions, not clocks: a monitor samples the primary's
 * `pg_current_wal_lsn()` (remembering when each sample started), then each replica's
 * `pg_last_wal_replay_lsn()`. A replica that replayed the sample taken at time t has everything the
 * primary had committed at t; its lag is how long ago the newest such t was (0 when it replayed the
 * latest sample — an idle primary is no lag). Past `maxLagMs`, or unreachable, a replica is out of
 * rotation until a check finds it caught up again.
 *
 * A read may use a replica only when the replica has replayed past its floor: the floor the request
 * carries (its principal's last write) and the first primary sample that started after the latest
 * change this process saw (its own writes, and other instances' changes announced by the cache's
 * NOTIFYs). Without such a sample the read goes to the primary and a check starts.
 */
export interface ReplicaSettings {
  urls: string[];
  maxLagMs: number;
  checkMs: number;
  client: (url: string) => postgres.Sql;
  /** The app's drizzle database over a client (the primary's schema and statement logger). */
  database: (client: postgres.Sql) => Db;
  /** Called by close() (what the opener registered for this set). */
  release?: () => void;
}

export interface ReplicaState {
  name: string;
  inRotation: boolean;
  /** How far behind it is known to be, in milliseconds (null before the first answer). */
  lagMs: number | null;
  replayLsn: string | null;
  checkedAt: string | null;
  error?: string;
}

interface Sample {
  at: number;
  lsn: bigint;
}

/** A replica's name in readiness and logs: host, port and database, never the password. */
export function replicaName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "replica";
  }
}

// Errors that say the replica cannot answer (down, restarting, unreachable, full, refusing us, the
// database not yet replayed): the read is retried on the primary and the replica leaves the rotation.
const REPLICA_GONE = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH",
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "53300", "57P01", "57P02", "57P03", "57P04", "28P01", "28000", "3D000",
]);
// Errors the statement itself causes (bad data, a constraint, bad SQL or privileges): the primary
// would answer the same, so they are not retried there. Anything else (a recovery conflict, a
// write that reached the standby, …) is.
const STATEMENT_FAULT = /^(?:22|23|42|2B|2F|P0)/;

const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? "");
const isGone = (code: string) => REPLICA_GONE.has(code) || code.startsWith("08");

export class Replica {
  replay = -1n;
  /** When the primary was last sampled at a position this replica has replayed. */
  caughtUpTo = -Infinity;
  /** It had replayed the newest sample at its last check. */
  current = false;
  checkedAt: Date | null = null;
  error: string | undefined = "not checked yet";
  /** Statements on this replica, each retried on the primary if the replica cannot answer it. */
  readonly sql: postgres.Sql;
  readonly db: Db;

  constructor(
    readonly name: string,
    /** The replica alone (its checks). */
    readonly direct: postgres.Sql,
    primary: postgres.Sql,
    database: (client: postgres.Sql) => Db,
    onGone: (replica: Replica, error: unknown) => void,
  ) {
    this.sql = withPrimaryFallback(direct, primary, (error) => onGone(this, error));
    this.db = database(this.sql);
  }
}

/**
 * The replica's client for drizzle: each statement runs on the replica; one the replica cannot
 * answer runs on the primary instead, so a replica going away costs no request an error.
 */
function withPrimaryFallback(replica: postgres.Sql, primary: postgres.Sql, gone: (error: unknown) => void): postgres.Sql {
  const routed = (args: unknown[], values: boolean): PromiseLike<unknown> & { values(): PromiseLike<unknown> } => {
    let result: Promise<unknown> | undefined;
    const send = (sql: postgres.Sql) => {
      const query = (sql.unsafe as (...a: unknown[]) => postgres.PendingQuery<postgres.Row[]>)(...args);
      return values ? query.values() : query;
    };
    const run = () =>
      (result ??= Promise.resolve(send(replica)).catch((error: unknown) => {
        const code = codeOf(error);
        if (isGone(code)) gone(error);
        else if (STATEMENT_FAULT.test(code)) throw error;
        return send(primary);
      }));
    return { then: (onFulfilled, onRejected) => run().then(onFulfilled, onRejected), values: () => routed(args, true) };
  };
  return new Proxy(replica, {
    get(target, prop, receiver) {
      if (prop === "unsafe") return (...args: unknown[]) => routed(args, false);
      // Transactions, reserved connections and LISTEN belong on the primary.
      if (prop === "begin" || prop === "savepoint" || prop === "reserve" || prop === "listen") return Reflect.get(primary, prop, primary).bind(primary);
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export class ReplicaSet {
  readonly replicas: Replica[];
  private samples: Sample[] = [];
  private lastChangeAt = -Infinity;
  private checking: Promise<void> | undefined;
  private lastCheckAt = -Infinity;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly primary: postgres.Sql,
    private readonly settings: ReplicaSettings,
  ) {
    this.replicas = settings.urls.map((url) => new Replica(replicaName(url), settings.client(url), primary, settings.database, (r, e) => this.gone(r, e)));
  }

  /** Checks every `checkMs` from now on (the timer does not keep the process alive). */
  start(): this {
    this.timer ??= setInterval(() => void this.check(), this.settings.checkMs);
    this.timer.unref();
    void this.check();
    return this;
  }

  /** A change committed (here, or announced by another instance): reads need a sample taken after it. */
  noteChange(): void {
    this.lastChangeAt = performance.now();
  }

  /** A replica that may serve a read with this floor, or undefined: the primary serves it. */
  pick(floor: bigint): Replica | undefined {
    const changeFloor = this.samples.find((s) => s.at > this.lastChangeAt)?.lsn;
    if (changeFloor === undefined) {
      this.checkSoon();
      return undefined;
    }
    const need = floor > changeFloor ? floor : changeFloor;
    const now = performance.now();
    let behind = false;
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length]!;
      if (!this.inRotation(replica, now)) continue;
      if (replica.replay < need) {
        behind = true;
        continue;
      }
      this.next = (this.next + i + 1) % this.replicas.length;
      return replica;
    }
    if (behind) this.checkSoon();
    return undefined;
  }

  state(): ReplicaState[] {
    const now = performance.now();
    return this.replicas.map((r) => ({
      name: r.name,
      inRotation: this.inRotation(r, now),
      lagMs: r.current ? 0 : Number.isFinite(r.caughtUpTo) ? Math.round(now - r.caughtUpTo) : null,
      replayLsn: r.replay >= 0n ? formatLsn(r.replay) : null,
      checkedAt: r.checkedAt?.toISOString() ?? null,
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  /** Samples the primary, then every replica; one check at a time. */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  async close(): Promise<void> {
    this.settings.release?.();
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.replicas.map((r) => r.direct.end({ timeout: 5 })));
  }

  private inRotation(replica: Replica, now: number): boolean {
    return replica.error === undefined && now - replica.caughtUpTo <= this.settings.maxLagMs;
  }

  private checkSoon(): void {
    // At most one on-demand check per 10 ms (or per period, when that is shorter): under a steady
    // stream of writes the primary answers a bounded number of samples, not one per read.
    if (this.checking || performance.now() - this.lastCheckAt < Math.min(10, this.settings.checkMs)) return;
    void this.check();
  }

  private gone(replica: Replica, error: unknown): void {
    replica.error = `unreachable: ${codeOf(error) || (error as Error)?.message || "error"}`;
  }

  private async runCheck(): Promise<void> {
    const at = performance.now();
    this.lastCheckAt = at;
    const deadline = Math.max(1000, this.settings.maxLagMs);
    let primaryLsn: bigint | undefined;
    try {
      const [row] = await withDeadline(this.primary.unsafe("SELECT pg_current_wal_lsn()::text AS lsn"), deadline);
      primaryLsn = parseLsn(row?.lsn as string | undefined);
    } catch {
      // The primary is down: no sample, so replicas age out of rotation; reads fail on the primary as they would alone.
    }
    if (primaryLsn !== undefined) this.addSample({ at, lsn: primaryLsn });
    await Promise.all(this.replicas.map((r) => this.checkReplica(r, deadline)));
  }

  private addSample(sample: Sample): void {
    this.samples.push(sample);
    // Keep twice the lag bound: an older sample can only say a replica is out of rotation.
    const keepFrom = sample.at - 2 * this.settings.maxLagMs - 1000;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop]!.at < keepFrom) drop++;
    if (drop) this.samples.splice(0, drop);
    if (this.samples.length > 4096) this.samples.splice(0, this.samples.length - 4096);
  }

  private async checkReplica(replica: Replica, deadline: number): Promise<void> {
    try {
      const [row] = await withDeadline(replica.direct.unsafe("SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS standby"), deadline);
      replica.checkedAt = new Date();
      if (!row?.standby) {
        replica.error = "not a standby (promoted, or not a replica of this primary)";
        return;
      }
      const replay = parseLsn(row.lsn as string | undefined);
      if (replay === undefined) {
        replica.error = "not replaying (no WAL replayed yet)";
        return;
      }
      // As reported, not the highest ever seen: a standby restored from an older base backup, or
      // another one behind the same address, is as far as it says.
      replica.replay = replay;
      if (replay < this.highestReplayed(replica)) replica.caughtUpTo = -Infinity;
      this.measure(replica);
      replica.error = undefined;
    } catch (error) {
      this.gone(replica, error);
    }
  }

  private highestReplayed(replica: Replica): bigint {
    const at = replica.caughtUpTo;
    return Number.isFinite(at) ? (this.samples.find((s) => s.at === at)?.lsn ?? -1n) : -1n;
  }

  /**
   * The floor may still be ahead of what some cache or replica shows: unless the primary was already
   * past it more than `settledMs` ago (the caches' staleness bound), a read with it skips the caches.
   */
  floorUnsettled(floor: bigint, settledMs: number): boolean {
    const before = performance.now() - Math.max(settledMs, this.settings.maxLagMs);
    for (const s of this.samples) {
      if (s.at > before) break;
      if (s.lsn >= floor) return false;
    }
    return true;
  }

  private measure(replica: Replica): void {
    const latest = this.samples[this.samples.length - 1];
    let replayed: Sample | undefined;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i]!.lsn <= replica.replay) {
        replayed = this.samples[i];
        break;
      }
    }
    replica.current = replayed !== undefined && replayed === latest;
    if (replayed && replayed.at > replica.caughtUpTo) replica.caughtUpTo = replayed.at;
  }
}

function withDeadline<T>(query: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "CONNECT_TIMEOUT" })), ms);
    query.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
