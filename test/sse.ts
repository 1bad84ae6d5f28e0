/** Test helper: Server-Sent Events frames from a response body. */
export /** Reads SSE frames from a response body until `n` events named `name` (status by default) arrived. */
async function readEvents<T = { status: string; qualityScore: number | null }>(res: Response, n: number, onFirst?: () => Promise<void>, name = "status") {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: T[] = [];
  let buffer = "";
  while (events.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split("\n").find((l) => l.startsWith("data: "));
      if (frame.startsWith(`event: ${name}\n`) && data) {
        events.push(JSON.parse(data.slice(6)));
        if (events.length === 1) await onFirst?.();
      }
    }
  }
  await reader.cancel();
  return events;
}

