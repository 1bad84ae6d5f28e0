/** Single-range `Range: bytes=…` parsing (RFC 9110 §14). Multi-range requests are served whole. */
export type RangeResult = { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

// Range units are case-insensitive (§14.1): `Bytes=0-1` is a byte range.
const BYTES_UNIT = /^bytes=/i;
const RANGE_SPEC = /^(\d*)-(\d*)$/;
const LIST_SEPARATOR = /[ \t]*,[ \t]*/;

export function parseRange(header: string | null, size: number): RangeResult {
  if (!header) return { kind: "full" };
  const value = header.trim();
  if (!BYTES_UNIT.test(value)) return { kind: "full" }; // an unknown unit: ignore, as RFC 9110 allows
  // range-set = 1#range-spec: empty list elements are allowed and do not count.
  const specs = value.slice(6).split(LIST_SEPARATOR).filter(Boolean);
  const match = specs.length === 1 ? RANGE_SPEC.exec(specs[0]!) : null;
  if (!match) return { kind: "full" }; // a syntax error or several ranges: served whole
  const [, from, to] = match;
  if (from === "" && to === "") return { kind: "full" };
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return { kind: "unsatisfiable" };
  if (end < start) return { kind: "full" };
  return { kind: "partial", start, end };
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 encoding. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
