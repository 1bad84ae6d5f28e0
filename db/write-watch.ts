/**
 * Which tables this process is writing, as it writes them: a statement that inserts, updates or
 * deletes starts a write of its tables; the write ends when the statement settles, or — inside a
 * transaction — when the transaction commits or rolls back. The query cache (lib/cache) listens so
 * that, on the instance that wrote, no read after a commit is answered from before it.
 *
 * db/ never imports lib/: listeners register here.
 */
export interface WriteListener {
  started(tables: readonly string[]): void;
  ended(tables: readonly string[]): void;
}

// On globalThis: the bundler may load this module once per server layer, while the database client
// (and so the statements) is one per process.
const globalForWrites = globalThis as unknown as { __nwuWriteListeners?: Set<WriteListener> };
const listeners = (globalForWrites.__nwuWriteListeners ??= new Set<WriteListener>());

export function onWrites(listener: WriteListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// "insert into x", "update x", "delete from x", "truncate x", in any statement (CTEs too) — but not
// the "update" of "for update", "for no key update", "do update set", "on update"/"on delete".
const WRITE_TARGET = /(?<!\b(?:for|key|do|on)\s+)\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const NOT_A_TABLE = new Set(["set", "of", "skip", "nowait"]);

export function writtenTables(text: string): string[] {
  const tables: string[] = [];
  for (const match of text.matchAll(WRITE_TARGET)) {
    const table = match[1]!.toLowerCase();
    if (!NOT_A_TABLE.has(table) && !tables.includes(table)) tables.push(table);
  }
  return tables;
}

/** A statement outside any transaction: its write's end, or undefined when it writes nothing. */
export function statementWrite(text: string): (() => void) | undefined {
  if (listeners.size === 0) return undefined;
  const tables = writtenTables(text);
  if (tables.length === 0) return undefined;
  for (const l of listeners) l.started(tables);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    for (const l of listeners) l.ended(tables);
  };
}

/** The tables one transaction (savepoints included) has written so far; they end together. */
export class TransactionWrites {
  private readonly tables = new Set<string>();

  note(text: string): void {
    if (listeners.size === 0) return;
    const fresh = writtenTables(text).filter((t) => !this.tables.has(t));
    if (fresh.length === 0) return;
    for (const t of fresh) this.tables.add(t);
    for (const l of listeners) l.started(fresh);
  }

  end(): void {
    if (this.tables.size === 0) return;
    const tables = [...this.tables];
    this.tables.clear();
    for (const l of listeners) l.ended(tables);
  }
}
