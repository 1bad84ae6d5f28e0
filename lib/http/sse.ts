import { shuttingDown } from "@/lib/lifecycle";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

/** A live series of events, told apart from how it is sent. */
export interface EventFeed<T> {
  /** Delivers every event from now on, in order, to `send` (called once). */
  start(send: (event: T) => void): void;
  /** No more events wanted: stop listening. */
  close(): void;
}

/**
 * Server-Sent Events: each event as `event: <name>` with its JSON, a heartbeat comment so proxies
 * keep the connection, and `retry` so browsers reconnect by themselves. The stream ends when the
 * client goes (`signal`) or the instance shuts down — browsers then reconnect, to another instance.
 */
export function sseResponse<T>(signal: AbortSignal, name: string, feed: EventFeed<T>): Response {
  let heartbeat: NodeJS.Timeout | undefined;
  let end: (() => void) | undefined;
  const close = () => {
    clearInterval(heartbeat);
    feed.close();
    if (end) shuttingDown.removeEventListener("abort", end);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      write("retry: 3000\n\n");
      feed.start((event) => write(`event: ${name}\ndata: ${JSON.stringify(event)}\n\n`));
      heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      end = () => {
        close();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", end);
      if (shuttingDown.aborted) end();
      else shuttingDown.addEventListener("abort", end, { once: true });
    },
    cancel: close,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
