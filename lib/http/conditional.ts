/**
 * Conditional requests (RFC 9110 §13) for a representation identified by one strong entity tag and
 * no modification date (content-addressed bytes: the tag is the CID and never changes).
 */

export interface EntityTag {
  weak: boolean;
  /** The opaque-tag without its quotes. */
  opaque: string;
}

/** etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3): no spaces, no quotes inside. */
const ETAGC = /^[\x21\x23-\x7e\x80-\xff]*$/;
const OWS = /[ \t]/;

/**
 * `"*"` or a list of entity tags (`#entity-tag`, commas and OWS between, empty elements allowed).
 * A malformed element is skipped: it matches nothing. Commas are legal inside an opaque-tag, so the
 * list is scanned, not split.
 */
export function parseEntityTags(value: string): "*" | EntityTag[] {
  const v = value.trim();
  if (v === "*") return "*";
  const tags: EntityTag[] = [];
  let i = 0;
  while (i < v.length) {
    if (v[i] === "," || OWS.test(v[i]!)) {
      i++;
      continue;
    }
    const weak = v.startsWith("W/", i);
    const open = weak ? i + 2 : i;
    const close = v[open] === '"' ? v.indexOf('"', open + 1) : -1;
    let next = close + 1;
    while (close >= 0 && next < v.length && OWS.test(v[next]!)) next++;
    if (close < 0 || (next < v.length && v[next] !== ",")) {
      // Not an entity-tag: skip to the next element.
      const comma = v.indexOf(",", i);
      if (comma < 0) break;
      i = comma + 1;
      continue;
    }
    const opaque = v.slice(open + 1, close);
    if (ETAGC.test(opaque)) tags.push({ weak, opaque });
    i = next;
  }
  return tags;
}

const SINGLE_TAG = /^(W\/)?"([^"]*)"$/;

/** Exactly one entity-tag (If-Range), or null (an HTTP-date, a list, garbage). */
function parseEntityTag(value: string): EntityTag | null {
  const match = SINGLE_TAG.exec(value.trim());
  return match && ETAGC.test(match[2]!) ? { weak: !!match[1], opaque: match[2]! } : null;
}

/** §8.8.3.2: strong comparison — neither weak, same opaque-tag. */
const strongMatch = (a: EntityTag, b: EntityTag) => !a.weak && !b.weak && a.opaque === b.opaque;
/** §8.8.3.2: weak comparison — same opaque-tag, weakness ignored. */
const weakMatch = (a: EntityTag, b: EntityTag) => a.opaque === b.opaque;

export type Precondition =
  /** Perform the method; `range` says whether a Range header may be honoured (If-Range held). */
  | { outcome: "proceed"; range: boolean }
  | { outcome: "not-modified" }
  | { outcome: "failed" };

/**
 * §13.2.2 in its order, for GET/HEAD on an existing representation with the strong tag `current`:
 * 1. If-Match (strong comparison; `*` matches the existing file) false → 412.
 * 2. If-Unmodified-Since: ignored — no modification date is available (§13.1.4 allows ignoring it;
 *    If-Match, when present, already makes it ignored).
 * 3. If-None-Match (weak comparison; `*` matches) false → 304.
 * 4. If-Modified-Since: ignored — §13.1.3 requires it without a modification date (and whenever
 *    If-None-Match is present).
 * 5. If-Range (GET with Range only): true only for a strong match of the tag; a date (we send no
 *    Last-Modified, so it cannot be a strong validator) or a weak tag → the Range is ignored (200).
 */
export function evaluatePreconditions(method: string, headers: Headers, current: EntityTag): Precondition {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    const tags = parseEntityTags(ifMatch);
    if (tags !== "*" && !tags.some((t) => strongMatch(t, current))) return { outcome: "failed" };
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const tags = parseEntityTags(ifNoneMatch);
    if (tags === "*" || tags.some((t) => weakMatch(t, current))) return method === "GET" || method === "HEAD" ? { outcome: "not-modified" } : { outcome: "failed" };
  }
  const ifRange = headers.get("if-range");
  if (ifRange === null || method !== "GET" || !headers.has("range")) return { outcome: "proceed", range: true };
  const tag = parseEntityTag(ifRange);
  return { outcome: "proceed", range: tag !== null && strongMatch(tag, current) };
}
