import { z } from "zod";

/** A wallet address as accepted anywhere: 0x and 40 hex digits, any case (checksums are ours to add). */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;
/** The same, as an HTML `pattern` attribute or an OpenAPI `pattern`. */
export const ADDRESS_PATTERN_SOURCE = ADDRESS_PATTERN.source;

export const ADDRESS_MESSAGE = "must be a wallet address (0x followed by 40 hex digits)";

/** The one wallet-address schema; `message` names the field in the caller's words. */
export const walletAddress = (message = ADDRESS_MESSAGE) => z.string().regex(ADDRESS_PATTERN, message);
