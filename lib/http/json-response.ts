import "server-only";

/**
 * JSON answers of shared, immutable values (the query cache's) are serialized once per value, not
 * once per request: `of` is the value whose identity keys the text, `body` what is sent (default:
 * `of` itself). A value built fresh per request is serialized each time, as Response.json would.
 */
const texts = new WeakMap<object, string>();

export function jsonResponse(of: object, body: () => unknown = () => of, init?: ResponseInit): Response {
  let text = texts.get(of);
  if (text === undefined) texts.set(of, (text = JSON.stringify(body())));
  const headers = new Headers(init?.headers);
  headers.set("content-type", "application/json");
  return new Response(text, { ...init, headers });
}
