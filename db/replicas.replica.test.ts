import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as contributionRoute from "@/app/api/v1/contributions/[id]/route";
import * as listRoute from "@/app/api/v1/contributions/route";
import * as readyRoute from "@/app/api/health/ready/route";
import * as statsRoute from "@/app/api/v1/users/[address]/stats/route";
import type { Db } from "@/db/client";
import { parseLsn } from "@/db/lsn";
import * as schema from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { sleep } from "@/lib/sleep";
import { replicaSettings, setupReplicatedPostgres } from "@/test/db";
import { insertContribution, insertUser } from "@/test/fixtures";
import { startRouteServer, type RouteServer } from "@/test/route-server";
import { signedInCookie } from "@/test/session";
import { newAccount } from "@/test/siwe";
import { uploadForm } from "@/test/upload-form";

// The cache off: these tests are about where reads go (lib/cache has its own, with and without replicas).
const MAX_LAG_MS = 1500;
const pg = setupReplicatedPostgres({ CACHE_MAX_STALENESS_MS: "0", REPLICA_MAX_LAG_MS: String(MAX_LAG_MS), REPLICA_CHECK_MS: "50" });

let server: RouteServer;
let origin = "";
let outside: Db; // another instance's writes: through the primary, not through this app
let owner: { id: string; address: string };

beforeAll(async () => {
  server = await startRouteServer([
    { path: /^\/api\/v1\/contributions$/, methods: listRoute as never },
    { path: /^\/api\/v1\/contributions\/(?<id>[^/]+)$/, methods: contributionRoute as never },
    { path: /^\/api\/v1\/users\/(?<address>[^/]+)\/stats$/, methods: statsRoute as never },
    { path: /^\/api\/health\/ready$/, methods: readyRoute as never },
  ]);
  origin = server.origin;
  outside = drizzle({ client: pg.primary(), schema }) as unknown as Db;
  owner = await insertUser(outside);
  await insertContribution(outside, owner.id, { title: "Seed" });
  await inRotation();
});
afterAll(async () => {
  await server?.close();
});

type ReplicaState = { name: string; inRotation: boolean; lagMs: number | null; error?: string };

async function readiness(): Promise<{ status: string; replica: ReplicaState }> {
  const body = (await (await fetch(`${origin}/api/health/ready`)).json()) as { status: string; checks: { replicas: ReplicaState[] } };
  return { status: body.status, replica: body.checks.replicas[0]! };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const inRotation = () => until("the replica in rotation", async () => ((await readiness()).replica.inRotation ? true : undefined));

async function titles(headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${origin}/api/v1/contributions?limit=100`, { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { title: string }[] }).items.map((c) => c.title);
}

/**
 * Until the standby has replayed everything the primary has written so far, and this instance's
 * replica check has seen it do so. Until then the instance's own earlier writes (the migrations,
 * a sign-in) are ahead of the replica, and its reads rightly go to the primary.
 */
async function caughtUp(): Promise<void> {
  const [row] = await pg.primary().unsafe<{ lsn: string }[]>("SELECT pg_current_wal_lsn()::text AS lsn");
  const { getDbHandle } = await import("@/db/client");
  await until("the replica caught up", async () => {
    const [replayed] = await pg.replica().unsafe<{ ok: boolean }[]>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok", [row!.lsn]);
    const seen = parseLsn(getDbHandle().replicas?.state()[0]?.replayLsn);
    return replayed!.ok && seen !== undefined && seen >= parseLsn(row!.lsn)! ? true : undefined;
  });
}

/**
 * Pauses the standby's replay once it has caught up, and waits until it has stopped:
 * pg_wal_replay_pause() only asks, and replay goes on to the next record boundary (on a busy
 * machine, past writes the test then makes). A write on the primary gives an idle standby a record
 * to stop at.
 */
async function pause(): Promise<void> {
  await caughtUp();
  await pg.replica().unsafe("SELECT pg_wal_replay_pause()");
  await until("replay paused", async () => {
    const [row] = await pg.replica().unsafe<{ state: string }[]>("SELECT pg_get_wal_replay_pause_state() AS state");
    if (row!.state === "paused") return true;
    await pg.primary().unsafe("SELECT txid_current()");
    return undefined;
  });
}
const resume = () => pg.replica().unsafe("SELECT pg_wal_replay_resume()");

async function writtenElsewhere(title: string): Promise<string> {
  await insertContribution(outside, owner.id, { title });
  const [row] = await pg.primary().unsafe<{ lsn: string }[]>("SELECT pg_current_wal_lsn()::text AS lsn");
  return row!.lsn;
}

describe("reads of GET routes go to the replica", () => {
  it("while it is within REPLICA_MAX_LAG_MS; past it the primary serves, and readiness says so", async () => {
    expect(await readiness()).toMatchObject({ status: "ok", replica: { inRotation: true, lagMs: expect.any(Number) } });
    await pause();
    try {
      const title = `Elsewhere ${randomBytes(4).toString("hex")}`;
      await writtenElsewhere(title);
      // The replica answers (replay is paused): the other instance's write is not there yet.
      expect(await titles()).not.toContain(title);
      // Replay stays paused: the replica falls behind by more than the bound and leaves the rotation.
      const out = await until("the replica out of rotation", async () => {
        const r = await readiness();
        return r.replica.inRotation ? undefined : r;
      });
      expect(out.status).toBe("degraded");
      expect(out.replica.lagMs).toBeGreaterThan(MAX_LAG_MS);
      expect(await titles()).toContain(title);
    } finally {
      await resume();
    }
    await inRotation();
    expect((await readiness()).status).toBe("ok");
  });
});

describe("read-your-writes", () => {
  it("a browser that wrote (its nwu_lsn cookie) reads from the primary until the replica replayed that write; others read the replica", async () => {
    await inRotation();
    await pause();
    try {
      const title = `Mine ${randomBytes(4).toString("hex")}`;
      const lsn = await writtenElsewhere(title);
      expect(await titles({ cookie: `nwu_lsn=${lsn}` })).toContain(title);
      expect(await titles()).not.toContain(title);
      // A malformed floor is no floor (never an error).
      expect(await titles({ cookie: "nwu_lsn=junk" })).not.toContain(title);
    } finally {
      await resume();
    }
  });

  it("an upload through the app, replay paused: the answer sets the floor, and on this instance nobody reads from before it", async () => {
    await inRotation();
    const account = newAccount();
    const cookie = await signedInCookie(account);
    await pause();
    try {
      const title = `Uploaded ${randomBytes(4).toString("hex")}`;
      const res = await fetch(`${origin}/api/v1/contributions`, { method: "POST", headers: { origin, cookie }, body: uploadForm(Buffer.from(`a,b\n${randomBytes(8).toString("hex")},2\n`), "data.csv", { title, file_type: "dataset" }) });
      expect(res.status).toBe(201);
      // Sent back verbatim, as a browser does (the jar's serializer writes the slash as %2F).
      const floor = /nwu_lsn=([0-9A-F]+(?:\/|%2F)[0-9A-F]+);/.exec(res.headers.get("set-cookie") ?? "")?.[1];
      expect(floor).toBeDefined();
      const { id } = (await res.json()) as { id: string };
      const detail = await fetch(`${origin}/api/v1/contributions/${id}`, { headers: { cookie: `${cookie}; nwu_lsn=${floor}` } });
      expect(detail.status).toBe(200);
      // The instance that wrote: its later reads need a replica past the write, whoever asks.
      expect(await titles()).toContain(title);
      expect((await fetch(`${origin}/api/v1/contributions/${id}`)).status).toBe(200);
    } finally {
      await resume();
    }
  });

  it("an API key's floor is kept with the key, across instances", async () => {
    await inRotation();
    const { key } = await createApiKey({ userId: owner.id, name: "reader", scopes: ["contributions:read"] });
    await pause();
    try {
      const title = `Keyed ${randomBytes(4).toString("hex")}`;
      const lsn = await writtenElsewhere(title);
      // What the key's write on another instance left in its row.
      await pg.primary().unsafe("UPDATE api_keys SET last_write_lsn = $1 WHERE user_id = $2", [lsn, owner.id]);
      expect(await titles({ authorization: `Bearer ${key}` })).toContain(title);
      expect(await titles()).not.toContain(title);
    } finally {
      await resume();
    }
  });
});

describe("a replica that stops", () => {
  it("mid-load costs no request an error: reads move to the primary, and come back when it does", async () => {
    await inRotation();
    const { cluster } = replicaSettings();
    const statuses: number[] = [];
    const failures: string[] = [];
    let stopped = false;
    let done = 0;
    const worker = async () => {
      while (done < 400) {
        done++;
        if (done === 120 && !stopped) {
          stopped = true;
          // Not awaited: the standby shuts down (fast: it terminates its connections) while requests run.
          setTimeout(() => spawnSync("pg_ctlcluster", [...cluster, "stop", "-m", "fast"], { stdio: "inherit" }), 0);
        }
        const path = done % 2 ? "/api/v1/contributions?limit=20" : `/api/v1/users/${owner.address}/stats`;
        try {
          const res = await fetch(`${origin}${path}`);
          statuses.push(res.status);
          if (res.status !== 200) failures.push(`${path} ${res.status} ${(await res.text()).slice(0, 200)}`);
          else await res.arrayBuffer();
        } catch (error) {
          failures.push(`${path} ${(error as Error).message}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: 6 }, worker));
      expect(failures).toEqual([]);
      expect(statuses.length).toBeGreaterThanOrEqual(400);
      const down = await until("the stopped replica reported", async () => {
        const r = await readiness();
        return r.replica.error ? r : undefined;
      });
      expect(down).toMatchObject({ status: "degraded", replica: { inRotation: false } });
    } finally {
      expect(spawnSync("pg_ctlcluster", [...cluster, "start"], { stdio: "inherit" }).status).toBe(0);
    }
    await until("the replica back in rotation", async () => ((await readiness()).replica.inRotation ? true : undefined), 60_000);
    expect(await titles()).toContain("Seed");
  });
});
