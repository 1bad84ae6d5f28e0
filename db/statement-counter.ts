import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Counts the SQL statements issued through drizzle inside `countStatements(fn)`, per async context,
 * so tests can hold a route to "at most N statements whatever the page size" — and benchmarks can
 * replay exactly the statements a route issued, as bare SQL.
 */
export interface RecordedStatement {
  text: string;
  params: unknown[];
}

const storage = new AsyncLocalStorage<{ statements: RecordedStatement[] }>();

export function recordStatement(text: string, params: unknown[] = []): void {
  storage.getStore()?.statements.push({ text, params });
}

export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: RecordedStatement[] }> {
  const store = { statements: [] as RecordedStatement[] };
  const result = await storage.run(store, fn);
  return { result, count: store.statements.length, statements: store.statements };
}
