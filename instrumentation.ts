/** Runs once when a server instance starts: a bad configuration stops it with one line. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { loadEnvOrExit } = await import("./lib/config/env");
    loadEnvOrExit();
  }
}
