/**
 * Runs once when a server instance starts: a bad configuration stops it with one line; then the
 * in-process job worker starts (unless WORKERS=off, when `npm run worker` processes do the work).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First: the transfers' Buffers are freed by scavenges on Node 24 too (lib/gc-tuning.ts).
    const { tuneGarbageCollection, youngGenerationWarning } = await import("./lib/gc-tuning");
    tuneGarbageCollection();
    const { loadEnvOrExit } = await import("./lib/config/env");
    loadEnvOrExit();
    const warning = youngGenerationWarning();
    if (warning) (await import("./lib/log")).log.warn(warning);
    // Route handlers that know their body's exact length (downloads) send it; Next alone drops it.
    const { installContentLengthHook } = await import("./lib/http/content-length");
    installContentLengthHook();
    // Graceful shutdown (drain, end live streams, hand back jobs) whether or not a worker runs here.
    const { install } = await import("./lib/lifecycle");
    install();
    const { startInProcessWorkerIfEnabled } = await import("./lib/job-runtime/start");
    startInProcessWorkerIfEnabled();
  }
}

/**
 * Errors Next catches while rendering a page or running a route or action: logged as one JSON line
 * with the request id the proxy gave the request (the client got the same id in x-request-id).
 */
export async function onRequestError(error: unknown, request: { path: string; method: string; headers: Record<string, string | string[] | undefined> }, context: { routerKind: string; routePath: string; routeType: string }) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log, withLogContext } = await import("./lib/log");
  const id = request.headers["x-request-id"];
  withLogContext({ requestId: Array.isArray(id) ? id[0] : id }, () =>
    log.error("request failed", { method: request.method, path: request.path, route: context.routePath, kind: context.routeType, error }),
  );
}
