/**
 * Reads of a stored file by byte range, for previewers: they never hold a whole file, only the
 * windows they ask for, and every read counts against a byte budget.
 */
export interface RangeReader {
  /** The file's size in bytes. */
  readonly size: number;
  /**
   * Bytes [offset, offset + length) (fewer at the end of the file). `far`: a small read far from the
   * last (a tar header after a large entry): the reader loads the storage block holding it, not a
   * window starting there, so the headers that share a block cost one load.
   */
  read(offset: number, length: number, far?: boolean): Promise<Uint8Array>;
  /** Bytes read so far. */
  readonly bytesRead: number;
}

/** The bytes are not what their format says (the preview says why; the upload stands). */
export class UnreadableError extends Error {}

/** A walk stopped by its output or time budget (the message says which). */
export class OutputBudgetError extends Error {
  override name = "OutputBudgetError";
}

export class BudgetExceededError extends Error {
  constructor(budget: number) {
    super(`reading stopped at the preview's budget of ${budget} bytes`);
  }
}

/**
 * A reader over `fetch(offset, length)` that reads whole windows (so many small reads — tar headers,
 * zip records — cost one fetch each window) and refuses to read past `budget` bytes in all.
 */
export function windowedReader(size: number, fetch: (offset: number, length: number) => Promise<Uint8Array>, o: { window?: number; budget: number; block?: number }): RangeReader {
  const windowSize = o.window ?? 64 * 1024;
  let cached: { offset: number; bytes: Uint8Array } | null = null;
  let bytesRead = 0;
  const load = async (offset: number, length: number) => {
    if (bytesRead + length > o.budget) throw new BudgetExceededError(o.budget);
    bytesRead += length;
    return fetch(offset, length);
  };
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length, far = false) {
      const end = Math.min(size, offset + length);
      if (offset >= end) return new Uint8Array(0);
      if (cached && offset >= cached.offset && end <= cached.offset + cached.bytes.length) return cached.bytes.subarray(offset - cached.offset, end - cached.offset);
      if (far && o.block && Math.floor(offset / o.block) === Math.floor((end - 1) / o.block)) {
        // The whole storage block is what the node reads (and verifies) anyway: keep it, count it.
        const at = Math.floor(offset / o.block) * o.block;
        cached = { offset: at, bytes: await load(at, Math.min(o.block, size - at)) };
        return cached.bytes.subarray(offset - at, end - at);
      }
      if (end - offset >= windowSize) return load(offset, end - offset);
      const bytes = await load(offset, Math.min(windowSize, size - offset));
      cached = { offset, bytes };
      return bytes.subarray(0, end - offset);
    },
  };
}

/** `r` with a budget of its own within r's: reading past `budget` bytes through it stops, the rest of r's stays for other reads. */
export function budgeted(r: RangeReader, budget: number): RangeReader {
  const start = r.bytesRead;
  return {
    size: r.size,
    get bytesRead() {
      return r.bytesRead;
    },
    async read(offset, length, exact) {
      if (r.bytesRead - start >= budget) throw new BudgetExceededError(budget);
      return r.read(offset, length, exact);
    },
  };
}

/** A reader over bytes in memory (tests, and small files already read). */
export function bytesReader(bytes: Uint8Array, budget = Number.MAX_SAFE_INTEGER): RangeReader {
  return windowedReader(bytes.length, async (offset, length) => bytes.subarray(offset, offset + length), { budget });
}
