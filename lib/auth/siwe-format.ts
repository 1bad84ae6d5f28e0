import type { SiweMessage } from "./siwe-message";

/**
 * Lays out an EIP-4361 message in the ABNF's order — byte for byte what viem's `createSiweMessage`
 * and SpruceID's `toMessage` write — without judging the values (the server's strict parser does).
 * Unlike viem's builder it takes every RFC 3986 authority, IPv6 hosts such as `[::1]:3400` included.
 * Free of server imports: the wallet dialog uses it in the browser.
 */
export function formatSiweMessage(m: SiweMessage): string {
  const head = `${m.scheme === undefined ? "" : `${m.scheme}://`}${m.domain} wants you to sign in with your Ethereum account:\n${m.address}\n\n`;
  const statement = m.statement === undefined ? "" : `${m.statement}\n`;
  const fields = [`URI: ${m.uri}`, `Version: ${m.version}`, `Chain ID: ${m.chainId}`, `Nonce: ${m.nonce}`, `Issued At: ${m.issuedAt}`];
  if (m.expirationTime !== undefined) fields.push(`Expiration Time: ${m.expirationTime}`);
  if (m.notBefore !== undefined) fields.push(`Not Before: ${m.notBefore}`);
  if (m.requestId !== undefined) fields.push(`Request ID: ${m.requestId}`);
  if (m.resources !== undefined) fields.push("Resources:", ...m.resources.map((r) => `- ${r}`));
  return `${head}${statement}\n${fields.join("\n")}`;
}
