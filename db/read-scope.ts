import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which reads of the current request may go to a replica (db/replicas.ts): routes and pages that
 * only read open a scope that allows it, with the floor their principal's last write sets. Outside
 * any scope — server actions, jobs, scripts — every statement goes to the primary. A request that
 * writes reads its own writes: from its first write on, its reads go to the primary too.
 */
export interface ReadScope {
  replica: boolean;
  /** Replicas must have replayed this WAL position (the principal's last write). */
  floor: bigint;
  /** This request wrote something a replica read could show. */
  wrote: boolean;
}

// On globalThis: the bundler may load db/ once per server layer; a request's scope must be one.
const globalForScope = globalThis as unknown as { __nwuReadScope?: AsyncLocalStorage<ReadScope> };
const storage = (globalForScope.__nwuReadScope ??= new AsyncLocalStorage<ReadScope>());

export function withReadScope<T>(scope: { replica: boolean; floor?: bigint }, fn: () => T): T {
  return storage.run({ replica: scope.replica, floor: scope.floor ?? 0n, wrote: false }, fn);
}

/** Runs outside any request's scope (timers that live on after the request that started them). */
export const outsideReadScope = <T>(fn: () => T): T => storage.exit(fn);

export const currentReadScope = (): ReadScope | undefined => storage.getStore();

/** The principal's last write became known (an API key's, once the key is looked up). */
export function raiseReadFloor(lsn: bigint | undefined): void {
  const scope = storage.getStore();
  if (scope && lsn !== undefined && lsn > scope.floor) scope.floor = lsn;
}
