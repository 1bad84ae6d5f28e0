/** Test helper: Server-Sent Events frames from a response body. */
export /** Reads SSE frames from a response body until `n` status events arrived. */
async function readEvents(res: Response, n: number, onFirst?: () => Promise<void>) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { status: string; qualityScore: number | null }[] = [];
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
      if (frame.startsWith("event: status") && data) {
        events.push(JSON.parse(data.slice(6)));
        if (events.length === 1) await onFirst?.();
      }
    }
  }
  await reader.cancel();
  return events;
}

