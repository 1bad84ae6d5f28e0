import "server-only";

import { CorruptBlockError, readContent } from "@/lib/ipfs/content";
import { log } from "@/lib/log";

import { getContributionFile } from "./queries";
import type { ViewerSource } from "./visibility";

/** A contribution's file as the viewer may have it (404 if hidden from them), for lib/http/file-response.ts. */
export async function contributionFile(id: string, viewer: ViewerSource) {
  const file = await getContributionFile(id, viewer);
  return { ...file, served: { etag: file.cid, size: file.size, mediaType: file.mediaType, fileName: file.fileName, private: file.withheld } };
}

/**
 * A contribution's bytes in `range`: read one window per pull (memory stays flat for any size and
 * any client speed), every block verified against its CID before it is sent.
 */
export function contributionBytes(id: string, cid: string, range: { offset: number; length: number }, signal: AbortSignal): ReadableStream<Uint8Array> {
  const chunks = readContent(cid, range, signal);
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (cancelled) return;
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          if (cancelled) return;
          if (error instanceof CorruptBlockError) log.error("download aborted: corrupted block", { contributionId: id, reason: error.message });
          else if (!signal.aborted) log.error("download failed", { contributionId: id, error });
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        await chunks.return(undefined);
      },
    },
    // One chunk queued ahead: the next block is read only when the client has taken the previous.
    { highWaterMark: 1 },
  );
}
