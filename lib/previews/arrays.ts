import { UnreadableError, type RangeReader } from "./reader";
import type { ArrayPreview } from "./schema";

export type { ArrayPreview };

/**
 * A NumPy `.npy` file's header (format versions 1–3: magic, version, header length, then a Python
 * dict literal with `descr`, `fortran_order` and `shape`) and its first values for the plain numeric
 * dtypes — read from the first bytes only.
 */

const FIRST_VALUES = 20;
const MAX_HEADER = 64 * 1024;

type Decode = (view: DataView, offset: number, little: boolean) => number | boolean | string;
const DTYPES: Record<string, [bytes: number, decode: Decode]> = {
  b1: [1, (v, o) => v.getUint8(o) !== 0],
  i1: [1, (v, o) => v.getInt8(o)],
  u1: [1, (v, o) => v.getUint8(o)],
  i2: [2, (v, o, l) => v.getInt16(o, l)],
  u2: [2, (v, o, l) => v.getUint16(o, l)],
  i4: [4, (v, o, l) => v.getInt32(o, l)],
  u4: [4, (v, o, l) => v.getUint32(o, l)],
  i8: [8, (v, o, l) => v.getBigInt64(o, l).toString()],
  u8: [8, (v, o, l) => v.getBigUint64(o, l).toString()],
  f4: [4, (v, o, l) => v.getFloat32(o, l)],
  f8: [8, (v, o, l) => v.getFloat64(o, l)],
};

/** The dict literal's three keys, read with patterns rather than evaluated. */
function parseHeader(text: string): { descr: string; fortran_order: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shape === undefined) throw new UnreadableError("its header does not name descr, fortran_order and shape");
  const dims = shape.split(",").map((d) => d.trim()).filter(Boolean);
  if (!dims.every((d) => /^\d+$/.test(d))) throw new UnreadableError(`its shape is not a tuple of sizes: (${shape})`);
  return { descr, fortran_order: fortran === "True", shape: dims.map(Number) };
}

export async function previewNpy(r: RangeReader): Promise<ArrayPreview> {
  const head = await r.read(0, 12);
  if (head.length < 10 || head[0] !== 0x93 || String.fromCharCode(...head.subarray(1, 6)) !== "NUMPY") throw new UnreadableError("it does not start with the .npy magic");
  const major = head[6]!;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const [lengthAt, headerLength] = major === 1 ? [10, view.getUint16(8, true)] : major <= 3 && head.length >= 12 ? [12, view.getUint32(8, true)] : [0, -1];
  if (headerLength < 0) throw new UnreadableError(`format version ${major} is not one NumPy writes`);
  if (headerLength > MAX_HEADER || lengthAt + headerLength > r.size) throw new UnreadableError("its header is longer than the file");
  const header = parseHeader(new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(await r.read(lengthAt, headerLength)));
  const elements = header.shape.reduce((n, d) => n * d, 1);
  const kind = DTYPES[header.descr.slice(1)];
  const little = header.descr[0] !== ">";
  const first: (number | boolean | string)[] = [];
  if (kind) {
    const [bytes, decode] = kind;
    const count = Math.min(FIRST_VALUES, elements);
    const data = await r.read(lengthAt + headerLength, count * bytes);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i + bytes <= data.length && i / bytes < count; i += bytes) first.push(decode(dv, i, little));
  }
  return { dtype: header.descr, shape: header.shape, fortran_order: header.fortran_order, elements, first };
}
