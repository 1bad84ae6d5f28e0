import { ALL_ROWS, CACHED_TABLES, type CachedTable } from "@/db/cache-tags";

/**
 * The in-process query cache's bookkeeping, with no I/O (lib/cache/feed.ts connects it to
 * PostgreSQL). Three rules keep an answer from being wrong:
 *
 * 1. Invalidation: a committed change of a cached table arrives as (table, row keys | "*") and
 *    drops every answer that depends on it (`invalidate`).
 * 2. Freshness: an answer is served only while this instance's last fence — a NOTIFY it sent
 *    itself — came back within `maxStalenessMs` of being sent. NOTIFYs arrive in commit order, so
 *    every change committed before that fence has been applied: a served answer misses at most
 *    the changes of the last `maxStalenessMs`, whatever happened to the listening connection.
 * 3. This instance's own writes: from a write's first statement until a fence sent after its end
 *    comes back, answers that depend on its tables are neither served nor stored. A read that
 *    starts after this instance committed a write therefore never sees the answer from before it.
 *
 * A fill (a miss's query) stores its answer only if nothing it depends on was invalidated or
 * written while it ran: an answer is never older than the invalidation that emptied its entry.
 */
export interface Dependencies {
  /** Every table the answer reads. */
  tables: readonly CachedTable[];
  /** Any change of these tables changes the answer (a list page); otherwise only its `tags` do. */
  anyChange?: boolean;
}

export interface Filled<T> {
  value: T;
  /** Row tags (db/cache-tags.ts cacheTag) the answer depends on, known once it is read. */
  tags: readonly string[];
}

interface Entry {
  value: unknown;
  tables: readonly CachedTable[];
  bytes: number;
}

interface Event {
  seq: number;
  table: CachedTable;
  /** Row tags, or null for every row. */
  keys: ReadonlySet<string> | null;
}

interface Flight {
  promise: Promise<unknown>;
  startSeq: number;
  tables: readonly CachedTable[];
}

export interface CacheOptions {
  maxStalenessMs: number;
  maxEntries: number;
  maxBytes: number;
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Lookups answered by the database because a fence was late or a local write was in flight. */
  bypasses: number;
  entries: number;
  bytes: number;
}

/** How many recent invalidations a running fill can be checked against; an older fill is not stored. */
const HISTORY = 512;

export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTable = new Map<CachedTable, Set<string>>();
  private readonly anyByTable = new Map<CachedTable, Set<string>>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly tagsOf = new Map<string, readonly string[]>();
  private readonly anyOf = new Set<string>();
  private readonly flights = new Map<string, Flight>();
  private readonly history: Event[] = [];
  private seq = 0;
  private bytes = 0;
  /** Local writes per table: in flight, and when the last one ended (to be fenced). */
  private readonly writing = new Map<CachedTable, { active: number; endedAt: number }>();
  private fencedAt = -Infinity;
  private readonly counters = { hits: 0, misses: 0, bypasses: 0 };
  private readonly now: () => number;

  constructor(private readonly options: CacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  stats(): CacheStats {
    return { ...this.counters, entries: this.entries.size, bytes: this.bytes };
  }

  /** The answer for `key`: from the cache when rules 1–3 allow, else from `fill` (stored when they allow). */
  async get<T>(key: string, deps: Dependencies, fill: () => Promise<Filled<T>>): Promise<T> {
    if (!this.servable(deps.tables)) {
      this.counters.bypasses++;
      return (await fill()).value;
    }
    const entry = this.entries.get(key);
    if (entry) {
      this.counters.hits++;
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value as T;
    }
    const flight = this.flights.get(key);
    if (flight && !this.changedSince(flight.startSeq, flight.tables, null)) {
      this.counters.hits++;
      return (await flight.promise) as T;
    }
    this.counters.misses++;
    return this.fillAndStore(key, deps, fill);
  }

  private async fillAndStore<T>(key: string, deps: Dependencies, fill: () => Promise<Filled<T>>): Promise<T> {
    const startSeq = this.seq;
    const filled = fill();
    const promise = filled.then((f) => f.value);
    promise.catch(() => {}); // the caller gets the error from `filled`; joiners from `promise`
    const flight = { promise, startSeq, tables: deps.tables };
    this.flights.set(key, flight);
    try {
      const { value, tags } = await filled;
      const tagSet = new Set(tags);
      // "Not found" is not stored: no row tag would ever say it was created.
      if (value != null && !this.dirty(deps.tables) && !this.changedSince(startSeq, deps.tables, deps.anyChange ? null : tagSet)) this.store(key, value, deps, tags);
      return value;
    } finally {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  /** Rule 2 and 3: a fence is recent and no local write touches these tables. */
  private servable(tables: readonly CachedTable[]): boolean {
    return this.now() - this.fencedAt <= this.options.maxStalenessMs && !this.dirty(tables);
  }

  private dirty(tables: readonly CachedTable[]): boolean {
    return tables.some((t) => this.writing.has(t));
  }

  /** Did an invalidation or local write touching (tables, tags) happen after `startSeq`? Unknown (too old) counts as yes. */
  private changedSince(startSeq: number, tables: readonly CachedTable[], tags: ReadonlySet<string> | null): boolean {
    if (this.seq === startSeq) return false;
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (startSeq + 1 < oldest) return true;
    for (let i = this.history.length - 1; i >= 0 && this.history[i]!.seq > startSeq; i--) {
      const e = this.history[i]!;
      if (!tables.includes(e.table)) continue;
      if (tags === null || e.keys === null) return true;
      for (const k of e.keys) if (tags.has(k)) return true;
    }
    return false;
  }

  private record(table: CachedTable, keys: ReadonlySet<string> | null): void {
    this.history.push({ seq: ++this.seq, table, keys });
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
  }

  private store(key: string, value: unknown, deps: Dependencies, tags: readonly string[]): void {
    const bytes = estimateBytes(value);
    if (bytes > this.options.maxBytes / 8) return;
    this.drop(key);
    this.entries.set(key, { value, tables: deps.tables, bytes });
    this.bytes += bytes;
    for (const t of deps.tables) index(deps.anyChange ? this.anyByTable : this.byTable, t, key);
    if (deps.anyChange) this.anyOf.add(key);
    this.tagsOf.set(key, tags);
    for (const tag of tags) index(this.byTag, tag, key);
    while (this.entries.size > this.options.maxEntries || this.bytes > this.options.maxBytes) this.drop(this.entries.keys().next().value!);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    const any = this.anyOf.delete(key);
    for (const t of entry.tables) unindex(any ? this.anyByTable : this.byTable, t, key);
    for (const tag of this.tagsOf.get(key) ?? []) unindex(this.byTag, tag, key);
    this.tagsOf.delete(key);
  }

  /** Rule 1: a committed change of `table`, to the rows with these tags (or all of them). */
  invalidate(table: CachedTable, keys: readonly string[] | typeof ALL_ROWS): void {
    const all = keys === ALL_ROWS;
    const keySet = all ? null : new Set(keys);
    this.record(table, keySet);
    for (const key of [...(this.anyByTable.get(table) ?? [])]) this.drop(key);
    if (all) {
      for (const key of [...(this.byTable.get(table) ?? [])]) this.drop(key);
      return;
    }
    for (const tag of keySet!) for (const key of [...(this.byTag.get(tag) ?? [])]) this.drop(key);
  }

  /** Everything, e.g. after the listening connection was lost (changes meanwhile went unheard). */
  clear(tables: readonly CachedTable[]): void {
    for (const t of tables) this.record(t, null);
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  /** Rule 3: this instance started writing these tables. */
  writeStarted(tables: readonly string[]): void {
    for (const t of tables as CachedTable[]) {
      const w = this.writing.get(t);
      if (w) w.active++;
      else if (WATCHED.has(t)) this.writing.set(t, { active: 1, endedAt: -Infinity });
      else continue;
      this.record(t, null);
    }
  }

  /** The write ended (committed or not); its tables stay unserved until a fence sent from now returns. */
  writeEnded(tables: readonly string[]): void {
    const at = this.now();
    for (const t of tables as CachedTable[]) {
      const w = this.writing.get(t);
      if (!w) continue;
      w.active = Math.max(0, w.active - 1);
      w.endedAt = at;
    }
  }

  /** Time stamp for a fence about to be sent. */
  fenceTime(): number {
    return this.now();
  }

  /** A fence sent at `sentAt` came back: every change committed before it has been applied. */
  fenced(sentAt: number): void {
    this.fencedAt = Math.max(this.fencedAt, sentAt);
    for (const [t, w] of this.writing) if (w.active === 0 && w.endedAt <= sentAt) this.writing.delete(t);
  }

  /** Local writes waiting for a fence (the feed sends one when there are). */
  awaitingFence(): boolean {
    for (const w of this.writing.values()) if (w.active === 0) return true;
    return false;
  }
}

const WATCHED = new Set<string>(CACHED_TABLES);

function index<K>(map: Map<K, Set<string>>, k: K, key: string): void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(key);
}

function unindex<K>(map: Map<K, Set<string>>, k: K, key: string): void {
  const set = map.get(k);
  set?.delete(key);
  if (set?.size === 0) map.delete(k);
}

/** Bytes an answer holds, roughly (UTF-16 JSON text): what the memory bound counts. */
function estimateBytes(value: unknown): number {
  return 2 * (JSON.stringify(value)?.length ?? 0) + 64;
}
