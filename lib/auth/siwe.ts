import "server-only";

import { createPublicClient, getAddress, http, isAddress, isHex, verifyMessage, type Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";

import { getEnv } from "@/lib/config/env";
import { UnauthorizedError } from "@/lib/errors";

/** Clock skew tolerated between the wallet that wrote `issuedAt` and this server. */
const MAX_CLOCK_SKEW_MS = 2 * 60 * 1000;
const MAX_MESSAGE_LENGTH = 4096;
const HEADER_SUFFIX = " wants you to sign in with your Ethereum account:";
const SINGLE_FIELDS = ["URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time", "Not Before", "Request ID"] as const;
const FIELD_LINE = new Map(SINGLE_FIELDS.map((f) => [f, new RegExp(`^${f}: `, "gm")]));

export interface VerifiedSiwe {
  address: `0x${string}`;
  chainId: number;
  nonce: string;
  expirationTime: Date;
}

export interface SiweExpectations {
  /** RFC 3986 authority of this app, e.g. `localhost:3000`. */
  domain: string;
  /** Origin of this app, e.g. `http://localhost:3000`. */
  origin: string;
  chainIds: readonly number[];
  now?: Date;
}

const fail = (reason: string): never => {
  throw new UnauthorizedError(reason);
};

/**
 * Checks an EIP-4361 message field by field, then its signature — offline for plain accounts
 * (ecrecover), and through the chain for smart-contract wallets only when CHAIN_RPC_URL is set.
 * Nonce consumption is the caller's, inside its transaction. Every failure is a 401 with a reason.
 */
export async function verifySiwe(input: { message: unknown; signature: unknown }, expected: SiweExpectations): Promise<VerifiedSiwe> {
  const now = expected.now ?? new Date();
  const { message, signature } = input;
  if (typeof message !== "string" || message.length === 0) return fail("Missing SIWE message");
  if (message.length > MAX_MESSAGE_LENGTH) return fail("SIWE message too long");
  if (typeof signature !== "string" || !isHex(signature)) return fail("Signature must be a 0x-prefixed hex string");

  const firstLine = message.slice(0, message.indexOf("\n"));
  if (!firstLine.endsWith(HEADER_SUFFIX)) return fail("Not an EIP-4361 message");
  for (const [field, re] of FIELD_LINE) {
    if ((message.match(re) ?? []).length > 1) return fail(`Field "${field}" appears more than once`);
  }

  const fields = parseSiweMessage(message);
  if (fields.version !== "1") return fail("Unsupported SIWE version");
  if (!fields.address || !isAddress(fields.address, { strict: false })) return fail("Invalid address in message");
  if (fields.domain !== expected.domain) return fail(`Domain mismatch: expected ${expected.domain}`);
  if (fields.scheme && `${fields.scheme}:` !== new URL(expected.origin).protocol) return fail("Scheme mismatch");

  let uriOrigin: string | undefined;
  try {
    uriOrigin = fields.uri ? new URL(fields.uri).origin : undefined;
  } catch {
    uriOrigin = undefined;
  }
  if (uriOrigin !== expected.origin) return fail(`URI must be on ${expected.origin}`);
  if (!fields.chainId || !expected.chainIds.includes(fields.chainId)) return fail(`Chain ${fields.chainId ?? "?"} is not allowed`);
  if (!fields.nonce || !/^[A-Za-z0-9]{8,}$/.test(fields.nonce)) return fail("Missing or malformed nonce");

  if (!fields.issuedAt || Number.isNaN(fields.issuedAt.getTime())) return fail("Missing issuedAt");
  if (fields.issuedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) return fail("issuedAt is in the future");
  if (!fields.expirationTime || Number.isNaN(fields.expirationTime.getTime())) return fail("expirationTime is required");
  if (fields.expirationTime.getTime() <= now.getTime()) return fail("Message expired");
  if (fields.notBefore && fields.notBefore.getTime() > now.getTime()) return fail("Message not valid yet (notBefore)");

  const address = getAddress(fields.address);
  if (!(await signatureMatches(address, message, signature))) return fail("Signature does not match the address");
  return { address, chainId: fields.chainId, nonce: fields.nonce, expirationTime: fields.expirationTime };
}

async function signatureMatches(address: `0x${string}`, message: string, signature: Hex): Promise<boolean> {
  try {
    if (await verifyMessage({ address, message, signature })) return true;
  } catch {
    // A malformed signature throws in viem; it is simply not a valid one.
  }
  const rpc = getEnv().CHAIN_RPC_URL;
  if (!rpc) return false;
  // Smart-contract wallets (ERC-1271, or ERC-6492 for undeployed ones) can only be checked on chain.
  const client = createPublicClient({ transport: http(rpc, { timeout: 5_000, retryCount: 2, retryDelay: 250 }) });
  try {
    return await client.verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}
