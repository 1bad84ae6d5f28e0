/**
 * Next's request stores are AsyncLocalStorage instances only when `globalThis.AsyncLocalStorage`
 * exists as their module loads (Next's server sets it up at start; a test process does not).
 * Imported before anything that loads `next/headers`.
 */
import { AsyncLocalStorage } from "node:async_hooks";

(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
