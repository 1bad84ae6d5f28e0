import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";

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
};
// ethers (server-side payouts) must never ship to the browser either.
const CLIENT_ONLY_FORBIDDEN = [/\bethers\/(lib|src)\b/, /"ethers"/];

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
