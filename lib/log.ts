/**
 * Structured logs: one JSON object per line on stdout (warn/error on stderr), each with the request
 * id of the request it belongs to (or the job it runs for). The id comes from the proxy (x-request-id)
 * and travels through AsyncLocalStorage, so code deep in lib/ logs it without passing it along.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";

import { SLOW_STATEMENT_CHANNEL, type SlowStatement } from "@/db/slow-statements";

export interface LogContext {
  requestId?: string;
  jobId?: string;
}

// One store and one slow-statement subscriber per process, however many times a bundler loads
// this module (instrumentation and the app's bundles each may): a request's id set through one
// copy is seen by the others, and no statement is logged twice.
const globalForLog = globalThis as unknown as { __nwuLogContext?: AsyncLocalStorage<LogContext>; __nwuSlowStatementLog?: true };
const context = (globalForLog.__nwuLogContext ??= new AsyncLocalStorage<LogContext>());

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

const threshold = () => LEVELS[(process.env.LOG_LEVEL as LogLevel | undefined) ?? "info"] ?? LEVELS.info;

const REQUEST_ID = /^[\w.:-]{8,128}$/;

/** A well-formed request id from these headers, if any (ids are echoed and logged: nothing else is). */
export const saneRequestId = (headers: Headers): string | undefined => {
  const id = headers.get("x-request-id");
  return id && REQUEST_ID.test(id) ? id : undefined;
};

/** Inside pages and server actions: the id proxy.ts gave this request (it always overwrites the header). */
export const assignedRequestId = (headers: Headers): string => saneRequestId(headers) ?? randomUUID();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...ctx }, fn);
}

export const currentRequestId = (): string | undefined => context.getStore()?.requestId;

/** The current context, to log from callbacks that run outside it (e.g. a driver's socket events). */
export const currentLogContext = (): LogContext => ({ ...context.getStore() });

function serialize(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, ...(value.cause ? { cause: serialize(value.cause) } : {}) };
  return value;
}

function write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold()) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...context.getStore() };
  if (fields) for (const [k, v] of Object.entries(fields)) entry[k] = serialize(v);
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ time: entry.time, level, msg, requestId: entry.requestId, note: "fields not serializable" });
  }
  (LEVELS[level] >= LEVELS.warn ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

// The database reports slow statements on a channel, in the context of the statement's request (db/ never imports lib/).
if (!globalForLog.__nwuSlowStatementLog) {
  globalForLog.__nwuSlowStatementLog = true;
  subscribe(SLOW_STATEMENT_CHANNEL, (message) => log.warn("slow statement", { ...(message as SlowStatement) }));
}
