import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Counts the SQL statements issued through drizzle inside `countStatements(fn)`, per async context,
 * so tests can hold a route to "at most N statements whatever the page size".
 */
const storage = new AsyncLocalStorage<{ count: number; statements: string[] }>();

export function recordStatement(query: string): void {
  const store = storage.getStore();
  if (store) {
    store.count += 1;
    store.statements.push(query);
  }
}

export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
  const store = { count: 0, statements: [] as string[] };
  const result = await storage.run(store, fn);
  return { result, count: store.count, statements: store.statements };
}
