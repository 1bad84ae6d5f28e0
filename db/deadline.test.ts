import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as listContributions } from "@/app/api/v1/contributions/route";
import { closeDb } from "@/db/client";
import { resetEnvCache } from "@/lib/config/env";

// A "database" that accepts connections and drops them (a half-open network): postgres.js would
// keep reconnecting behind it forever; the app must still answer within its deadline.
let blackHole: net.Server;
const saved = { ...process.env };

beforeAll(async () => {
  blackHole = net.createServer((socket) => socket.destroy());
  await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
  const { port } = blackHole.address() as net.AddressInfo;
  await closeDb();
  Object.assign(process.env, { DATABASE_URL: `postgres://nwu:nwu@127.0.0.1:${port}/nwu`, DB_STATEMENT_TIMEOUT_MS: "500", DB_CONNECT_TIMEOUT_S: "1" });
  resetEnvCache();
});

afterAll(async () => {
  await closeDb();
  process.env = saved;
  resetEnvCache();
  await new Promise((r) => blackHole.close(r));
});

describe("a database that swallows connections", () => {
  it("gets a 503 problem within statement timeout + connect timeout, not a hung request", async () => {
    const started = performance.now();
    const res = await listContributions(new Request("http://localhost:3000/api/v1/contributions"), undefined);
    const ms = performance.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 503, detail: "The database is unavailable right now; try again shortly" });
    expect(ms).toBeGreaterThan(2_000); // the deadline, not an early give-up
    expect(ms).toBeLessThan(4_500);
  });
});
