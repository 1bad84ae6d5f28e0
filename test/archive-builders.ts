/**
 * Archives written by hand to their published layouts (POSIX ustar; PKWARE APPNOTE, stored), for
 * tests and benchmarks that need shapes no tool on the machine writes on demand: bombs, 10,000
 * entries, a gigabyte streamed 1 MiB at a time.
 */

/** A ustar header for `name` of `size` bytes (checksum computed as the format says). */
export function ustarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write("0000644\0", 100);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("0", 156);
  h.write("ustar\x0000", 257);
  h.fill(" ", 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** A stored (uncompressed) zip of `n` files, piece by piece: each local entry, then the central directory and its end record. */
export function* storedZip(n: number, file: (i: number) => { name: string; data: Buffer }): Generator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const entry = file(i);
    const name = Buffer.from(entry.name);
    const data = entry.data;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(name.length, 26);
    yield Buffer.concat([h, name, data]);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(n, 0xffff), 8);
  end.writeUInt16LE(Math.min(n, 0xffff), 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([dir, end]);
}
