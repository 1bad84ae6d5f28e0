import "server-only";

import { PayloadTooLargeError } from "@/lib/errors";

/** Form bodies of the token links (one-click unsubscribe, confirmation) are tiny: at most this many bytes are read. */
const MAX_FORM_BYTES = 4096;

/** The request's form fields (application/x-www-form-urlencoded), read up to MAX_FORM_BYTES (413 beyond). */
export async function smallForm(request: Request): Promise<URLSearchParams> {
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      throw new PayloadTooLargeError(`A form of at most ${MAX_FORM_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return new URLSearchParams(new TextDecoder().decode(Buffer.concat(chunks)));
}

/** A field from the query (the link) or else the form body. */
export const field = (url: URL, form: URLSearchParams, name: string): string | null => url.searchParams.get(name) ?? form.get(name);

/** A browser's form post from our own page (it says so): answered with a redirect back to the page, not JSON. */
export const fromPage = (form: URLSearchParams) => form.get("from") === "page";
