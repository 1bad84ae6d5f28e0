import { describe, expect, it } from "vitest";

import { BadRequestError } from "@/lib/errors";

import { receiveMultipartFile, type MultipartLimits } from "./multipart";

const LIMITS: MultipartLimits = { maxFileBytes: 1 << 20, maxFieldBytes: 1024, idleTimeoutMs: 5_000, tooLarge: () => new Error("too large") };
const BOUNDARY = "nwu-test-boundary";

/** A multipart request whose body is exactly `parts` joined — no closing boundary unless given. */
function request(body: string): Request {
  return new Request("http://localhost/upload", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
}

const filePart = (field: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.txt"\r\nContent-Type: text/plain\r\n\r\n${content}`;

/** Runs `fn` and collects what reached process' uncaughtException meanwhile (a crashed server, in production). */
async function uncaughtDuring(fn: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (error: unknown) => seen.push(error);
  const before = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", listener);
  try {
    await fn().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.removeListener("uncaughtException", listener);
    for (const l of before) process.on("uncaughtException", l);
  }
  return seen;
}

describe("receiveMultipartFile on a body that ends mid-part", () => {
  it("a second, ignored file cut off: a 400, and no uncaught error from its stream", async () => {
    const body = `${filePart("file", "hello")}\r\n${filePart("other", "cut off here")}`;
    let outcome: unknown;
    const uncaught = await uncaughtDuring(async () => {
      outcome = await receiveMultipartFile(request(body), "file", LIMITS, async ({ stream, complete }) => {
        for await (const _ of stream) void _;
        await complete;
        return "stored";
      }).catch((error: unknown) => error);
    });
    expect(uncaught).toEqual([]);
    expect(outcome).toBeInstanceOf(BadRequestError);
  });

  it("a handler that gives up before reading its file: its error, and no uncaught error from the stream", async () => {
    const refusal = new BadRequestError("refused before reading");
    let outcome: unknown;
    const uncaught = await uncaughtDuring(async () => {
      outcome = await receiveMultipartFile(request(filePart("file", "never read, never finished")), "file", LIMITS, async () => {
        throw refusal;
      }).catch((error: unknown) => error);
    });
    expect(uncaught).toEqual([]);
    expect(outcome).toBe(refusal);
  });
});
