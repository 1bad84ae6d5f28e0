import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { defineConfig, devices } from "@playwright/test";

/**
 * E2E runs the production build (`next build` first, see `npm run test:e2e`) on a fresh temporary
 * data folder, and on a freshly reset PostgreSQL database when DATABASE_URL is set. The browser is
 * Debian's Chromium: Playwright's own browser download cannot work on these machines.
 */
const port = Number(process.env.E2E_PORT ?? 3210);
export const stripePort = Number(process.env.E2E_STRIPE_PORT ?? 3299);
// Set once in the runner process; workers inherit it, so all agree on one folder.
process.env.NWU_E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "nwu-e2e-"));
// The personas are the demo accounts: every server the tests start (and their children) runs in demo mode.
process.env.DEMO_MODE ??= "on";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      // Stripe's API as a local wire-format server: the app's real SDK talks to it.
      command: `node --import tsx test/fake-stripe-server.ts`,
      port: stripePort,
      reuseExistingServer: false,
      env: { FAKE_STRIPE_PORT: String(stripePort) },
    },
    {
    command: `node --conditions=react-server --import tsx scripts/e2e-server.ts`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: process.env.NWU_E2E_DATA_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      STRIPE_SECRET_KEY: "sk_test_nwu_local_0000000000",
      STRIPE_WEBHOOK_SECRET: "whsec_nwu_local_test_secret",
      // The e2e receiver of our webhooks listens on 127.0.0.1 over plain http.
      WEBHOOK_ALLOW_PRIVATE: "on",
      STRIPE_PRICE_PRO: "price_pro_e2e",
      STRIPE_PRICE_ENTERPRISE: "price_enterprise_e2e",
      STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
      // Overage reaches the fake Stripe's meter within seconds (e2e/revenue-share.spec.ts; every instance shares the job chain).
      METER_REPORT_SECONDS: "2",
    },
    },
  ],
});
