/**
 * A local server speaking the OpenAI chat-completions wire format, for tests: answers with the
 * content the test chooses, or fails (HTTP status, hang) on demand.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLlm {
  url: string;
  requests: { authorization?: string; body: { model: string; messages: { role: string; content: string }[]; response_format?: unknown } }[];
  /** What the next requests get. */
  mode: { kind: "content"; content: string } | { kind: "status"; status: number } | { kind: "hang" };
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const fake: Omit<FakeLlm, "url" | "close"> = { requests: [], mode: { kind: "content", content: "{}" } };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      fake.requests.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
      const mode = fake.mode;
      if (mode.kind === "hang") {
        hanging.add(res);
        return;
      }
      if (mode.kind === "status") {
        res.writeHead(mode.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "boom" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: "test-model",
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: mode.content } }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.close(() => r());
      }),
  }) as FakeLlm;
}
