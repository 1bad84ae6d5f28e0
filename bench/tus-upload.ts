import { createHash } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import { performance } from "node:perf_hooks";

import { generatedChunks, readBody, type Progress, type Server } from "./app-server";

export interface TusUploaded {
  id: string;
  size: number;
  /** The contribution's sha256, as the server stored it. */
  sha256: string;
  /** From the creation to the final PATCH's 204. */
  seconds: number;
  /** From the last byte sent to that 204 (the import into the node, then the row). */
  tailSeconds: number;
  /** PATCH requests it took (1 uninterrupted). */
  patches: number;
  /** Where the server said to resume after the cut. */
  resumedAt?: number;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/**
 * A generated text file through the tus endpoint as one PATCH, or with the connection destroyed
 * once `cutAt` bytes are sent: then HEAD for the server's offset and PATCH the rest from there, as
 * a tus client does after a network drop. Content is generated 1 MiB at a time, never held whole.
 */
export async function tusUpload(server: Server, cookie: string, title: string, size: number, salt: string, options: { cutAt?: number; progress?: Progress } = {}): Promise<TusUploaded> {
  const headers = { "Tus-Resumable": "1.0.0", Origin: server.origin, Cookie: cookie };
  const started = performance.now();
  const created = await request(server, "POST", "/api/v1/uploads", {
    ...headers,
    "Upload-Length": String(size),
    "Upload-Metadata": `title ${b64(title)},file_type ${b64("document")},filename ${b64("benchmark.txt")}`,
  });
  if (created.status !== 201) throw new Error(`tus creation answered ${created.status}: ${created.body}`);
  const url = created.headers.location as string;
  let offset = 0;
  let patches = 0;
  let resumedAt: number | undefined;
  let lastByte = 0;
  for (;;) {
    patches++;
    const answer = await patch(server, url, headers, size, salt, offset, offset === 0 ? options.cutAt : undefined, options.progress);
    lastByte = answer.lastByte;
    if (answer.status === 204 && answer.contributionId) {
      const done = performance.now();
      const row = await request(server, "GET", `/api/v1/contributions/${answer.contributionId}`, { Cookie: cookie });
      const body = JSON.parse(row.body) as { id: string; sha256: string; size: number };
      return { id: body.id, size: body.size, sha256: body.sha256, seconds: (done - started) / 1000, tailSeconds: (done - lastByte) / 1000, patches, resumedAt };
    }
    if (answer.status !== 0 && answer.status !== 409 && answer.status !== 204) throw new Error(`tus PATCH answered ${answer.status}`);
    if (patches > 5) throw new Error("tus upload did not finish in 5 PATCHes");
    const head = await request(server, "HEAD", url, headers);
    offset = Number(head.headers["upload-offset"]);
    resumedAt ??= offset;
  }
}

/** sha256 of the generated file, computed apart from the timed upload. */
export function generatedSha256(size: number, salt: string): string {
  const hash = createHash("sha256");
  for (const chunk of generatedChunks(size, salt)) hash.update(chunk);
  return hash.digest("hex");
}

async function request(server: Server, method: string, path: string, headers: Record<string, string>) {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.request(new URL(path, server.origin), { method, headers }, resolve).once("error", reject).end());
  return { status: res.statusCode ?? 0, headers: res.headers, body: await readBody(res) };
}

/** One PATCH from `offset`; destroyed after `cutAt` bytes of the file if given (status 0: no answer). */
async function patch(server: Server, url: string, headers: Record<string, string>, size: number, salt: string, offset: number, cutAt: number | undefined, progress?: Progress) {
  const req = http.request(new URL(url, server.origin), {
    method: "PATCH",
    headers: { ...headers, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream", "Content-Length": String(size - offset) },
  });
  const answered = new Promise<http.IncomingMessage | undefined>((resolve) => {
    req.once("response", resolve);
    req.once("error", () => resolve(undefined));
  });
  let sent = offset;
  let lastByte = performance.now();
  for (const chunk of generatedChunks(size, salt, offset)) {
    if (cutAt !== undefined && sent + chunk.byteLength > cutAt) {
      req.destroy();
      break;
    }
    if (!req.write(chunk)) await Promise.race([once(req, "drain"), answered]);
    progress?.((sent += chunk.byteLength));
  }
  if (!req.destroyed) req.end();
  lastByte = performance.now();
  const res = await answered;
  if (res) await readBody(res);
  return { status: res?.statusCode ?? 0, contributionId: res?.headers["upload-contribution-id"] as string | undefined, lastByte };
}
