import sharp from "sharp";

import { UnreadableError, type RangeReader } from "./reader";
import type { Preview } from "./schema";

/**
 * Images: their dimensions and a thumbnail made on the server (WebP, at most THUMBNAIL_SIZE a side),
 * so pages never show an untrusted upload's own bytes inline. Decoding is bounded: files over the
 * preview budget get no thumbnail, and images over MAX_PIXELS are refused by the decoder (a small
 * file can declare a huge canvas).
 */
export const THUMBNAIL_SIZE = 256;
const MAX_PIXELS = 50_000_000;

export async function imagePreview(r: RangeReader, mediaType: string, maxBytes: number): Promise<{ preview: Preview; thumbnail: Buffer | null }> {
  if (r.size > maxBytes) {
    return { preview: { kind: "image", media_type: mediaType, width: null, height: null, thumbnail: false, reason: `larger than the ${maxBytes / 1024 / 1024} MiB a thumbnail is made from` }, thumbnail: null };
  }
  const bytes = await r.read(0, r.size);
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error" });
    const meta = await image.metadata();
    const thumbnail = await image.rotate().resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    return { preview: { kind: "image", media_type: mediaType, width: meta.width ?? null, height: meta.height ?? null, thumbnail: true }, thumbnail };
  } catch (error) {
    throw new UnreadableError(`the image cannot be decoded (${(error as Error).message})`);
  }
}
