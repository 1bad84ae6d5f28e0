import { readFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { THUMBNAIL_SIZE, imagePreview } from "./image";
import { UnreadableError, bytesReader } from "./reader";

const fixture = (name: string) => readFileSync(path.join(process.cwd(), "test/fixtures/formats", name));

/** A PNG whose header declares width × height, with almost no pixel data: a decompression bomb's shape. */
function declaredPng(width: number, height: number): Buffer {
  const crc = (b: Buffer) => {
    let c = ~0;
    for (const byte of b) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(Buffer.alloc(1024))), chunk("IEND", Buffer.alloc(0))]);
}

describe("image previews", () => {
  it.each([
    ["image.png", "image/png", 16, 16],
    ["image.jpg", "image/jpeg", 24, 16],
    ["image.gif", "image/gif", 1, 1],
    ["image.webp", "image/webp", 1, 1],
  ])("%s: dimensions and a WebP thumbnail within %s px", async (file, mediaType, width, height) => {
    const { preview, thumbnail } = await imagePreview(bytesReader(fixture(file)), mediaType, 8 * 1024 * 1024);
    expect(preview).toEqual({ kind: "image", media_type: mediaType, width, height, thumbnail: true });
    const meta = await sharp(thumbnail!).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(THUMBNAIL_SIZE);
  });

  it("scales a large image down to the thumbnail's bound", async () => {
    const big = await sharp({ create: { width: 1200, height: 600, channels: 3, background: "#336699" } }).png().toBuffer();
    const { thumbnail } = await imagePreview(bytesReader(big), "image/png", 8 * 1024 * 1024);
    expect(await sharp(thumbnail!).metadata()).toMatchObject({ width: 256, height: 128 });
  });

  it("says why a damaged image cannot be decoded", async () => {
    await expect(imagePreview(bytesReader(fixture("broken.jpg")), "image/jpeg", 8 * 1024 * 1024)).rejects.toThrow(/cannot be decoded/);
  });

  it("refuses a small file declaring a huge canvas, and says why", async () => {
    await expect(imagePreview(bytesReader(declaredPng(30_000, 30_000)), "image/png", 8 * 1024 * 1024)).rejects.toThrow(UnreadableError);
  });

  it("makes no thumbnail of a file over the budget, without reading it", async () => {
    const reader = bytesReader(Buffer.alloc(9 * 1024 * 1024));
    const { preview, thumbnail } = await imagePreview(reader, "image/png", 8 * 1024 * 1024);
    expect(preview).toMatchObject({ thumbnail: false, reason: expect.stringMatching(/larger than/) });
    expect(thumbnail).toBeNull();
    expect(reader.bytesRead).toBe(0);
  });
});
