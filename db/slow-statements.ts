import type { PGlite, Transaction } from "@electric-sql/pglite";
import type postgres from "postgres";

import { currentLogContext, log, withLogContext, type LogContext } from "@/lib/log";

/**
 * Statements slower than a threshold are logged with their duration and text (never their
 * parameters, which may hold personal data). The clients are wrapped, not patched: every query
 * drizzle or our raw SQL sends — inside transactions too — goes through `unsafe` / `query`.
 */
function report(text: string, started: number, thresholdMs: number, failed: boolean, ctx: LogContext = currentLogContext()) {
  const durationMs = performance.now() - started;
  if (durationMs < thresholdMs) return;
  withLogContext(ctx, () => log.warn("slow statement", { durationMs: Math.round(durationMs * 10) / 10, failed, statement: text.replace(/\s+/g, " ").slice(0, 1000) }));
}

const TIMED = Symbol("timed");

type PendingQuery = PromiseLike<unknown> & { then: PromiseLike<unknown>["then"] };

/** postgres.js queries are lazy thenables: time them from creation until they settle. */
function timeQuery<Q extends PendingQuery>(query: Q, text: string, thresholdMs: number): Q {
  const marked = query as Q & { [TIMED]?: boolean };
  if (marked[TIMED]) return query;
  marked[TIMED] = true;
  // Captured now: the driver settles the query from its socket's callbacks, outside the request.
  const ctx = currentLogContext();
  const started = performance.now();
  let reported = false;
  const once = (failed: boolean) => {
    if (!reported) report(text, started, thresholdMs, failed, ctx);
    reported = true;
  };
  const then = query.then;
  query.then = function (this: Q, onFulfilled, onRejected) {
    return then.call(
      this,
      (value) => {
        once(false);
        return onFulfilled ? onFulfilled(value) : (value as never);
      },
      (error: unknown) => {
        once(true);
        if (onRejected) return onRejected(error);
        throw error;
      },
    );
  } as Q["then"];
  return query;
}

export function timePostgres<S extends postgres.Sql | postgres.TransactionSql>(sql: S, thresholdMs: number): S {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "unsafe") {
        return (text: string, ...rest: unknown[]) => timeQuery((value as (...a: unknown[]) => PendingQuery).call(target, text, ...rest), text, thresholdMs);
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (tx: postgres.TransactionSql) => fn(timePostgres(tx, thresholdMs)));
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function timed<T>(text: string, thresholdMs: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    report(text, started, thresholdMs, false);
    return result;
  } catch (error) {
    report(text, started, thresholdMs, true);
    throw error;
  }
}

/** PGlite runs statements eagerly: time each query/exec call, inside transactions too. */
export function timePglite<P extends PGlite | Transaction>(db: P, thresholdMs: number): P {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "query" || prop === "exec") {
        return (text: string, ...rest: unknown[]) => timed(text, thresholdMs, () => (value as (...a: unknown[]) => Promise<unknown>).call(target, text, ...rest));
      }
      if (prop === "transaction") {
        return (fn: (tx: Transaction) => unknown) => (value as (f: (tx: Transaction) => unknown) => unknown).call(target, (tx: Transaction) => fn(timePglite(tx, thresholdMs)));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
