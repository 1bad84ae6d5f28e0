import { LICENCE_KEY } from "@/lib/contributions/licences";

import { METADATA_MAX_BYTES } from "@/db/vocabulary";

/** The metadata editor's content: an SPDX licence (or none) and free key/value pairs. */
export type MetadataDraft = { license: string; pairs: { key: string; value: string }[] };
export const EMPTY_METADATA: MetadataDraft = { license: "", pairs: [] };

/**
 * The JSON object the server stores (`metadata` in Upload-Metadata), or the reasons it cannot be
 * built: a value without a key, a key twice, `license` typed by hand beside the picker, over 10 KB.
 * Pairs with neither key nor value are left out (an empty row is not an error).
 */
export function buildMetadata(draft: MetadataDraft): { json: string; errors?: string[] } {
  const object: Record<string, string> = {};
  const errors: string[] = [];
  if (draft.license) object[LICENCE_KEY] = draft.license;
  for (const { key, value } of draft.pairs) {
    const name = key.trim();
    if (name === "" && value.trim() === "") continue;
    if (name === "") errors.push(`The value “${value.slice(0, 40)}” needs a key`);
    else if (name in object) errors.push(name === LICENCE_KEY && draft.license ? "The licence is set with the picker above; remove the “license” row" : `The key “${name}” appears twice`);
    else object[name] = value;
  }
  const json = Object.keys(object).length ? JSON.stringify(object) : "";
  if (new TextEncoder().encode(json).length > METADATA_MAX_BYTES) errors.push(`Metadata is at most ${METADATA_MAX_BYTES / 1024} KB`);
  return errors.length ? { json, errors } : { json };
}
