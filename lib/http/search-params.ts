import { decodeCursor, type Cursor } from "@/lib/pagination";

/** What Next passes a page as `searchParams`. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter. */
export const firstParam = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A row offset parameter (`?rows=100`): a whole number, else 0. */
export function rowOffset(params: SearchParams, name = "rows"): number {
  const value = Number(firstParam(params[name]));
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/**
 * A page's cursor parameter; a malformed one (an old or edited link) just starts at the first page.
 * `backward`: the list reads Previous (`back`) cursors too.
 */
export function pageCursor(params: SearchParams, name = "cursor", backward = false): Cursor | undefined {
  try {
    return decodeCursor(firstParam(params[name]), backward);
  } catch {
    return undefined;
  }
}
