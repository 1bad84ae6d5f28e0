import { randomBytes } from "node:crypto";
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as uploadRoute from "@/app/api/v1/contributions/route";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { signedInCookie } from "@/test/session";
import { newAccount } from "@/test/siwe";
import { startRouteServer, type RouteServer } from "@/test/route-server";
import { uploadForm as form } from "@/test/upload-form";

/**
 * Refused uploads over one keep-alive connection, through a real HTTP server that hands the upload
 * route its request and writes its answer with Next's own code — the IncomingMessage becomes the
 * route's `request.body` exactly as under `next start` (NextRequestAdapter), and sendResponse
 * writes the Response. The same over `next start` itself: e2e/refused-uploads.spec.ts.
 */
setupTestDatabase();

const ROUNDS = 20;
const MiB = 1024 * 1024;
let server: RouteServer;
let origin = "";
let cookie = "";

beforeAll(async () => {
  process.env.MAX_UPLOAD_BYTES = String(MiB);
  resetEnvCache();
  cookie = await signedInCookie(newAccount());
  server = await startRouteServer([{ path: /^\/api\/v1\/contributions$/, methods: uploadRoute as never }]);
  origin = server.origin;
});
afterAll(async () => {
  delete process.env.MAX_UPLOAD_BYTES;
  resetEnvCache();
  await server.close();
});

/** ROUNDS uploads in a row with Node's fetch (its keep-alive pool): answers, failures, connections. */
async function inARow(init: () => { headers?: Record<string, string>; body: BodyInit; duplex?: "half" }) {
  const answers: string[] = [];
  const failures: string[] = [];
  const before = server.connections();
  for (let i = 0; i < ROUNDS; i++) {
    const { headers, ...rest } = init();
    try {
      const res = await fetch(`${origin}/api/v1/contributions`, { method: "POST", ...rest, headers: { origin, cookie, ...headers }, signal: AbortSignal.timeout(10_000) } as RequestInit);
      const problem = (await res.json()) as { status: number; code: string };
      answers.push(`${res.status} ${problem.code}`);
    } catch (error) {
      failures.push(`request ${i + 1}: ${(error as Error).message} (${((error as Error).cause as { code?: string } | undefined)?.code})`);
    }
  }
  return { answers, failures, connections: server.connections() - before };
}

// Before the fix a reset request took ~6 s to fail: room for every failure to be listed.
describe("refusals reach keep-alive clients", { timeout: 150_000 }, () => {
  it("a file refused for its type after its first 64 KB were read: 20 × 415 over a reused connection, no reset", async () => {
    const exe = randomBytes(MiB);
    exe.write("MZ", 0); // a Windows executable, declared as a document
    const run = await inARow(() => ({ body: form(exe, "report.exe") }));
    expect(run.failures).toEqual([]);
    expect(run.answers).toEqual(Array(ROUNDS).fill("415 unsupported_media_type"));
    // Reused: a reset would have cost a new connection every other request.
    expect(run.connections).toBeLessThanOrEqual(3);
  });

  it("over the size cap while streaming (no Content-Length): 20 × 413, no reset", async () => {
    const over = Buffer.alloc(MiB + 100 * 1024, "over the cap\n");
    const run = await inARow(() => {
      const encoded = new Response(form(over, "over.txt"));
      return { headers: { "content-type": encoded.headers.get("content-type")! }, body: encoded.body!, duplex: "half" };
    });
    expect(run.failures).toEqual([]);
    expect(run.answers).toEqual(Array(ROUNDS).fill("413 payload_too_large"));
  });

  it("refused before the body is read (declared over the cap, cross-origin): 20 answers each, no reset", async () => {
    const far = await inARow(() => ({ body: form(Buffer.alloc(8 * MiB, "far over\n"), "far.txt") }));
    expect(far.failures).toEqual([]);
    expect(far.answers).toEqual(Array(ROUNDS).fill("413 payload_too_large"));
    const foreign = await inARow(() => ({ headers: { origin: "https://evil.example" }, body: form(randomBytes(MiB), "x.bin") }));
    expect(foreign.failures).toEqual([]);
    expect(foreign.answers).toEqual(Array(ROUNDS).fill("403 forbidden"));
  });

  it("a client that stalls mid-upload gets its 408 with Connection: close (nothing more to drain)", async () => {
    process.env.UPLOAD_IDLE_TIMEOUT_MS = "600";
    resetEnvCache();
    // A keep-alive client (agent: false would ask for Connection: close itself).
    const agent = new http.Agent({ keepAlive: true });
    try {
      const multipart = new Response(form(Buffer.alloc(MiB / 2, "stall\n"), "s.txt"));
      const contentType = multipart.headers.get("content-type")!;
      const encoded = Buffer.from(await multipart.arrayBuffer());
      const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(`${origin}/api/v1/contributions`, {
          method: "POST",
          agent,
          headers: { origin, cookie, "content-type": contentType, "content-length": String(encoded.length) },
        });
        req.on("response", resolve);
        req.on("error", reject);
        req.write(encoded.subarray(0, MiB / 4)); // then nothing more
      });
      expect(answer.statusCode).toBe(408);
      expect(answer.headers.connection).toBe("close");
      answer.resume();
    } finally {
      agent.destroy();
      delete process.env.UPLOAD_IDLE_TIMEOUT_MS;
      resetEnvCache();
    }
  });
});
