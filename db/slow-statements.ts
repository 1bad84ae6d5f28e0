import { AsyncResource } from "node:async_hooks";
import { channel } from "node:diagnostics_channel";

import type { PGlite, Transaction } from "@electric-sql/pglite";
import type postgres from "postgres";

import { statementWrite, TransactionWrites } from "./write-watch";

/**
 * Statements slower than a threshold are reported with their duration and text (never their
 * parameters, which may hold personal data). The clients are wrapped, not patched: every query
 * drizzle or our raw SQL sends — inside transactions too — goes through `unsafe` / `query`.
 *
 * db/ never imports lib/, so a report is published on a diagnostics channel, in the async context
 * of the request that sent the statement; lib/log subscribes and writes the line (with that
 * request's id).
 */
export const SLOW_STATEMENT_CHANNEL = "nwu:db:slow-statement";

export interface SlowStatement {
  durationMs: number;
  failed: boolean;
  statement: string;
}

const slowStatements = channel(SLOW_STATEMENT_CHANNEL);
const WHITESPACE = /\s+/g;

function report(text: string, started: number, thresholdMs: number, failed: boolean) {
  const durationMs = performance.now() - started;
  if (durationMs < thresholdMs || !slowStatements.hasSubscribers) return;
  slowStatements.publish({ durationMs: Math.round(durationMs * 10) / 10, failed, statement: text.replace(WHITESPACE, " ").slice(0, 1000) } satisfies SlowStatement);
}

const TIMED = Symbol("timed");

type PendingQuery = PromiseLike<unknown> & { then: PromiseLike<unknown>["then"] };

/**
 * postgres.js queries are lazy thenables: time them from creation until they settle, and give up
 * on one that has not settled by the deadline (a black-holed network would otherwise hold the
 * request forever: postgres.js keeps reconnecting behind a socket that accepts and drops).
 */
function timeQuery<Q extends PendingQuery>(query: Q, text: string, thresholdMs: number, deadlineMs: number, writes?: TransactionWrites): Q {
  const marked = query as Q & { [TIMED]?: boolean };
  if (marked[TIMED]) return query;
  marked[TIMED] = true;
  // Bound now: the driver settles the query from its socket's callbacks, outside the request.
  const reportHere = Number.isFinite(thresholdMs) ? AsyncResource.bind(report) : undefined;
  const started = performance.now();
  let reported = false;
  let writeEnded: (() => void) | undefined;
  const once = (failed: boolean) => {
    if (!reported) reportHere?.(text, started, thresholdMs, failed);
    reported = true;
    writeEnded?.();
  };
  const then = query.then;
  query.then = function (this: Q, onFulfilled, onRejected) {
    // A write starts when the query is sent (awaited), not when it is built.
    if (writes) writes.note(text);
    else writeEnded ??= statementWrite(text);
    const settled = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        once(true);
        reject(Object.assign(new Error(`the database did not answer within ${deadlineMs} ms`), { code: "CONNECT_TIMEOUT" }));
      }, deadlineMs);
      then.call(
        this,
        (value) => {
          clearTimeout(timer);
          once(false);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          once(true);
          reject(error);
        },
      );
    });
    return settled.then(onFulfilled, onRejected);
  } as Q["then"];
  return query;
}

/**
 * `thresholdMs` 0: no slow-statement log (the deadline still applies). Writes are reported to
 * db/write-watch: a transaction's (`writes`, savepoints included) when it ends.
 */
export function timePostgres<S extends postgres.Sql | postgres.TransactionSql>(sql: S, thresholdMs: number, deadlineMs: number, writes?: TransactionWrites): S {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "unsafe") {
        return (text: string, ...rest: unknown[]) => timeQuery((value as (...a: unknown[]) => PendingQuery).call(target, text, ...rest), text, thresholdMs || Infinity, deadlineMs, writes);
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          const own = writes ?? new TransactionWrites();
          const result = (value as (...a: unknown[]) => Promise<unknown>).call(target, ...args, (tx: postgres.TransactionSql) => fn(timePostgres(tx, thresholdMs, deadlineMs, own)));
          if (writes) return result;
          return result.finally(() => own.end());
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function timed<T>(text: string, thresholdMs: number, ready: Promise<void> | undefined, writes: TransactionWrites | undefined, run: () => Promise<T>): Promise<T> {
  // A fresh embedded database spends seconds starting (WASM): that is not the statement's time.
  await ready;
  const started = performance.now();
  if (writes) writes.note(text);
  const writeEnded = writes ? undefined : statementWrite(text);
  try {
    const result = await run();
    report(text, started, thresholdMs, false);
    return result;
  } catch (error) {
    report(text, started, thresholdMs, true);
    throw error;
  } finally {
    writeEnded?.();
  }
}

/** PGlite runs statements eagerly: time each query/exec call, inside transactions too (writes as for postgres.js). */
export function timePglite<P extends PGlite | Transaction>(db: P, thresholdMs: number, writes?: TransactionWrites): P {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "query" || prop === "exec") {
        return (text: string, ...rest: unknown[]) =>
          timed(text, thresholdMs || Infinity, (target as Partial<PGlite>).waitReady, writes, () => (value as (...a: unknown[]) => Promise<unknown>).call(target, text, ...rest));
      }
      if (prop === "transaction") {
        return (fn: (tx: Transaction) => unknown) => {
          const own = writes ?? new TransactionWrites();
          const result = (value as (f: (tx: Transaction) => unknown) => Promise<unknown>).call(target, (tx: Transaction) => fn(timePglite(tx, thresholdMs, own)));
          return writes ? result : result.finally(() => own.end());
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
