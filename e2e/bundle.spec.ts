import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import { expect, test } from "./fixtures";

/**
 * Server-only code never reaches the browser: the built client chunks are scanned for signatures of
 * every server-side dependency and of our server modules. Each signature is first shown to exist in
 * the server build, so the check cannot pass by looking for strings that exist nowhere.
 */
const SIGNATURES: Record<string, string> = {
  "the Stripe SDK": "api.stripe.com",
  PGlite: "@electric-sql/pglite",
  "the job queue (lib/jobs)": "jobs_queued",
  "the event bus (lib/events)": "pg_notify",
  "the IPFS node (helia)": "createHeliaLight",
  "the block store": "FsBlockstore",
  "the multipart parser (busboy)": "Malformed part header",
  "the payout service (lib/rewards)": "pay-reward-batch",
  "the chain client (lib/chain)": "answered something that is not JSON-RPC",
  // ethers (server-side payouts) must never ship to the browser either. (Not the bare word "ethers":
  // WalletConnect's lazily loaded modal names adapter types, ETHERS:"ethers", without any of ethers.)
  ethers: "unsupported addressable value",
};
const CLIENT_ONLY_FORBIDDEN = [/\bethers\/(lib|src)\b/];

const files = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".js")).map((f) => path.join(dir, f));

test("no server-only module, and no ethers, in any client chunk", () => {
  const client = files(".next/static").map((f) => [f, readFileSync(f, "utf8")] as const);
  const server = files(".next/server").map((f) => readFileSync(f, "utf8"));
  expect(client.length).toBeGreaterThan(5);
  for (const [what, signature] of Object.entries(SIGNATURES)) {
    expect(server.some((s) => s.includes(signature)), `${what} is in the server build`).toBe(true);
    expect(client.filter(([, s]) => s.includes(signature)).map(([f]) => f), `${what} in client chunks`).toEqual([]);
  }
  for (const re of CLIENT_ONLY_FORBIDDEN) expect(client.filter(([, s]) => re.test(s)).map(([f]) => f)).toEqual([]);
});

// The demo wallet makes its key in the browser: none of the demo accounts' (public) keys may ship,
// with or without 0x. The server build holds them (the demo sign-in knows the accounts).
test("no demo account's private key in any client chunk", () => {
  const client = files(".next/static").map((f) => [f, readFileSync(f, "utf8")] as const);
  const server = files(".next/server").map((f) => readFileSync(f, "utf8"));
  const bare = DEMO_ACCOUNTS.map((a) => a.privateKey.slice(2));
  expect(server.some((s) => s.includes(bare[0]!)), "the demo keys are in the server build").toBe(true);
  for (const key of bare) expect(client.filter(([, s]) => s.includes(key)).map(([f]) => f), `demo key ${key.slice(0, 8)}… in client chunks`).toEqual([]);
});

/** The secret values the e2e server runs with (playwright.config.ts, scripts/e2e-server.ts). */
function secrets(): Record<string, string> {
  const chain = JSON.parse(readFileSync(path.join(process.env.NWU_E2E_DATA_DIR!, "chain-env.json"), "utf8")) as Record<string, string>;
  return {
    STRIPE_SECRET_KEY: "sk_test_nwu_local_0000000000",
    STRIPE_WEBHOOK_SECRET: "whsec_nwu_local_test_secret",
    PAYOUT_PRIVATE_KEY: chain.PAYOUT_PRIVATE_KEY!,
    "PAYOUT_PRIVATE_KEY (no 0x)": chain.PAYOUT_PRIVATE_KEY!.slice(2),
  };
}

test("no secret value in any client chunk or in the pages an admin sees", async ({ asAdmin: { request: admin } }) => {
  const values = secrets();
  const client = files(".next/static").map((f) => [f, readFileSync(f, "utf8")] as const);
  for (const [name, value] of Object.entries(values)) {
    expect(value.length, name).toBeGreaterThan(20);
    expect(client.filter(([, s]) => s.includes(value)).map(([f]) => f), `${name} in client chunks`).toEqual([]);
  }
  // Rendered pages (HTML and the RSC payload inside it), as the most privileged user sees them.
  for (const page of ["/", "/admin", "/billing", "/pricing", "/wallet", "/settings/api-keys", "/status"]) {
    const res = await admin.get(page);
    expect(res.status(), page).toBe(200);
    const html = await res.text();
    for (const [name, value] of Object.entries(values)) expect(html.includes(value), `${name} in ${page}`).toBe(false);
  }
});
