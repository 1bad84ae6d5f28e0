/**
 * Runs once when a server instance starts: a bad configuration stops it with one line; then the
 * in-process job worker starts (unless WORKERS=off, when `npm run worker` processes do the work).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { loadEnvOrExit } = await import("./lib/config/env");
    loadEnvOrExit();
    const { startInProcessWorkerIfEnabled } = await import("./lib/jobs/runtime");
    startInProcessWorkerIfEnabled();
  }
}
