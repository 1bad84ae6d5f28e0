import "server-only";

import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

import { BlockedTargetError, resolveTarget } from "./target";

/** How much of a receiver's answer is read (for the log): a huge body is never read past this. */
const RESPONSE_SNIPPET_BYTES = 1024;

export type SendOutcome =
  | { ok: true; status: number; latencyMs: number }
  /** `endpoint`: the receiver is unreachable or failing (rest the endpoint); `message`: it answered this one with a 4xx. */
  | { ok: false; status: number | null; latencyMs: number; error: string; blame: "endpoint" | "message" };

/**
 * POSTs one signed delivery. The connection goes to the address resolved and checked just now
 * (no second lookup), redirects are not followed, the whole exchange is bounded by `timeoutMs`,
 * and at most RESPONSE_SNIPPET_BYTES of the answer are read before the socket is closed.
 */
export async function sendDelivery(input: { url: URL; headers: Record<string, string>; body: string; timeoutMs: number }): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: { address: string; family: 4 | 6 };
  try {
    target = await withTimeout(resolveTarget(input.url), input.timeoutMs, "DNS lookup");
  } catch (error) {
    const message = error instanceof BlockedTargetError ? error.message : `could not resolve ${input.url.hostname}: ${(error as Error).message}`;
    return { ok: false, status: null, latencyMs: elapsed(), error: message, blame: "endpoint" };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const fail = (error: string, status: number | null = null) => finish({ ok: false, status, latencyMs: elapsed(), error, blame: "endpoint" });
    const transport = input.url.protocol === "https:" ? https : http;
    const request = transport.request(input.url, {
      method: "POST",
      agent: false,
      lookup: pinned,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(input.body), "user-agent": "NWU-Protocol-Webhooks/1", ...input.headers },
    });
    const timer = setTimeout(() => fail(`no answer within ${input.timeoutMs} ms`), input.timeoutMs);
    request.on("error", (error) => fail(error.message));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      const done = () => finish(outcomeOf(status, Buffer.concat(chunks).toString("utf8"), elapsed()));
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        read += chunk.length;
        if (read >= RESPONSE_SNIPPET_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
    });
    request.end(input.body);
  });
}

function outcomeOf(status: number, body: string, latencyMs: number): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true, status, latencyMs };
  const snippet = body.slice(0, 200).replace(/\s+/g, " ").trim();
  const error = status >= 300 && status < 400 ? `answered ${status} (a redirect: not followed)` : `answered ${status}${snippet ? `: ${snippet}` : ""}`;
  // A 4xx other than 408/409/425/429 is about this message; anything else says the receiver is not taking deliveries now.
  const blame = status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status) ? "message" : "endpoint";
  return { ok: false, status, latencyMs, error, blame };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
