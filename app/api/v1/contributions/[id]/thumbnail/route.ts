import { apiRoute, viewerOf } from "@/lib/api/principal";
import { getContributionFile } from "@/lib/contributions/queries";
import { idParam } from "@/lib/contributions/schemas";
import { NotFoundError } from "@/lib/errors";
import { storedThumbnail } from "@/lib/previews/stored";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * An image contribution's thumbnail: a WebP made on the server (≤ 256 px a side), never the upload's
 * bytes; its own CSP forbids everything, so even opened directly it runs nothing. 404 for anything
 * else (and for withheld bytes, but to their owner and admins).
 */
export const GET = apiRoute<Ctx>({ scope: "contributions:read", allow: "anonymous" }, async (request, { params }, principal) => {
  const id = idParam.safeParse((await params).id);
  if (!id.success) throw new NotFoundError("No contribution with this id");
  const file = await getContributionFile(id.data, viewerOf(principal, request));
  const thumbnail = await storedThumbnail({ cid: file.cid, size: file.size, mediaType: file.mediaType, name: file.fileName });
  if (!thumbnail) throw new NotFoundError("No thumbnail: this contribution is not an image that could be decoded");
  return new Response(new Uint8Array(thumbnail), {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(thumbnail.length),
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, max-age=60",
      ETag: `"${file.cid}-thumb"`,
    },
  });
});
