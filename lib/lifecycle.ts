/**
 * Graceful shutdown. On SIGTERM/SIGINT `next start` stops accepting connections and waits for
 * in-flight requests before it exits; this module runs our own steps alongside (the job worker
 * finishes or hands back its jobs, live streams end so their connections do not hold the drain
 * open) and holds the process's exit until they are done, bounded by a deadline.
 */
import { log } from "@/lib/log";

type Task = { name: string; run: () => Promise<void> };
// One state per process on globalThis: Next bundles route handlers and instrumentation (where the
// job worker starts) separately, each with its own copy of this module.
const g = globalThis as unknown as {
  __nwuLifecycle?: { controller: AbortController; tasks: Task[]; exitTasks: Task[]; done?: Promise<void>; installed: boolean };
};
const state = (g.__nwuLifecycle ??= { controller: new AbortController(), tasks: [], exitTasks: [], installed: false });
const { controller, tasks, exitTasks } = state;

/** Aborted when the process starts shutting down: long-lived responses (SSE) end themselves. */
export const shuttingDown: AbortSignal = controller.signal;

/**
 * Registers a step to run on shutdown: at the signal (default), or `atExit` — after the server has
 * drained its in-flight requests, just before the process exits (e.g. flushing what they recorded).
 */
export function onShutdown(name: string, run: () => Promise<void>, opts: { atExit?: boolean } = {}): void {
  (opts.atExit ? exitTasks : tasks).push({ name, run });
  install();
}

async function runAll(list: Task[], deadlineMs: number): Promise<void> {
  const all = Promise.allSettled(
    list.map(async (t) => {
      try {
        await t.run();
      } catch (error) {
        log.error("shutdown step failed", { step: t.name, error });
      }
    }),
  );
  await Promise.race([all, new Promise((r) => setTimeout(r, deadlineMs).unref())]);
}

function begin(signal: NodeJS.Signals, deadlineMs: number): Promise<void> {
  state.done ??= (async () => {
    log.info("shutting down", { signal, steps: tasks.map((t) => t.name) });
    controller.abort(new Error(`shutting down (${signal})`));
    await runAll(tasks, deadlineMs);
    log.info("shutdown steps finished");
  })();
  return state.done;
}

/** Takes over SIGTERM/SIGINT for this process (idempotent); the server calls it at start. */
export function install(): void {
  if (state.installed) return;
  state.installed = true;
  const deadlineMs = 15_000;
  const standalone = !process.env.NEXT_RUNTIME; // `npm run worker`: nobody else handles the signal
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void begin(signal, deadlineMs).finally(async () => {
        if (!standalone) return;
        await runAll(exitTasks, 5_000);
        process.exit(signal === "SIGTERM" ? 143 : 130);
      });
    });
  }
  if (!standalone) {
    // Inside `next start`, Next exits once its server has drained. Hold that exit until our steps
    // have run, so a job is never left leased by a process that is gone.
    const exit = process.exit.bind(process);
    process.exit = ((code?: number) => {
      if (!state.done) return exit(code);
      void state.done.then(() => runAll(exitTasks, 5_000)).finally(() => exit(code));
      return undefined as never;
    }) as typeof process.exit;
  }
}
