import "server-only";

import { compactSignatureToSignature, createPublicClient, custom, isHex, parseCompactSignature, serializeSignature, verifyMessage, type Hex } from "viem";

import { rpcCall } from "@/lib/chain/rpc";
import { getEnv } from "@/lib/config/env";
import { UnauthorizedError } from "@/lib/errors";

import { parseSiweMessage, rfc3339Instant, type SiweMessage } from "./siwe-message";

/** Clock skew tolerated between the wallet that wrote `issuedAt` and this server. */
const MAX_CLOCK_SKEW_MS = 2 * 60 * 1000;
const MAX_MESSAGE_LENGTH = 4096;
/** "0x" + 64 bytes: an EIP-2098 compact signature (yParity folded into s). */
const COMPACT_SIGNATURE_LENGTH = 2 + 64 * 2;

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

/** Parser-checked, so a bad time here is a bug, not a bad message. */
const instant = (value: string): Date => rfc3339Instant(value) ?? fail(`Unreadable time ${value}`);

/**
 * Checks an EIP-4361 message: the strict grammar first, then EIP-4361's own bindings, then this
 * app's policy, then the signature — offline for plain accounts (ecrecover), and through the chain
 * for smart-contract wallets only when CHAIN_RPC_URL is set. Nonce consumption is the caller's,
 * inside its transaction. Every failure is a 401 naming the rule.
 */
export async function verifySiwe(input: { message: unknown; signature: unknown }, expected: SiweExpectations): Promise<VerifiedSiwe> {
  const now = expected.now ?? new Date();
  const { message, signature } = input;
  if (typeof message !== "string" || message.length === 0) return fail("Missing SIWE message");
  if (message.length > MAX_MESSAGE_LENGTH) return fail("SIWE message too long");
  if (typeof signature !== "string" || !isHex(signature)) return fail("Signature must be a 0x-prefixed hex string");

  const fields = parseSiweMessage(message);
  checkSiweBinding(fields, { domain: expected.domain, now });
  const expirationTime = checkSiwePolicy(fields, expected, now);
  await verifySiweSignature({ address: fields.address, message, signature });
  return { address: fields.address, chainId: fields.chainId, nonce: fields.nonce, expirationTime };
}

/**
 * What EIP-4361 (and SpruceID's `verify`) asks of every relying party: the domain and nonce it
 * expects, and the validity window at `now` (expired at or after Expiration Time, not yet valid
 * before Not Before).
 */
export function checkSiweBinding(fields: SiweMessage, expected: { domain?: string; nonce?: string; now: Date }): void {
  if (expected.domain !== undefined && fields.domain !== expected.domain) fail(`Domain mismatch: expected ${expected.domain}`);
  if (expected.nonce !== undefined && fields.nonce !== expected.nonce) fail("Nonce mismatch");
  if (fields.expirationTime && instant(fields.expirationTime).getTime() <= expected.now.getTime()) fail("Message expired");
  if (fields.notBefore && instant(fields.notBefore).getTime() > expected.now.getTime()) fail("Message not valid yet (notBefore)");
}

/** This app's stricter rules: same scheme and origin, an allowed chain, a bounded life, a sane clock. */
function checkSiwePolicy(fields: SiweMessage, expected: SiweExpectations, now: Date): Date {
  if (fields.scheme !== undefined && `${fields.scheme}:` !== new URL(expected.origin).protocol) fail("Scheme mismatch");
  if (originOf(fields.uri) !== expected.origin) fail(`URI must be on ${expected.origin}`);
  if (!expected.chainIds.includes(fields.chainId)) fail(`Chain ${fields.chainId} is not allowed`);
  if (instant(fields.issuedAt).getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) fail("issuedAt is in the future");
  return fields.expirationTime ? instant(fields.expirationTime) : fail("expirationTime is required");
}

function originOf(uri: string): string | undefined {
  try {
    return new URL(uri).origin;
  } catch {
    // RFC 3986 allows URIs WHATWG URL cannot read (e.g. IPvFuture hosts); none is our origin.
    return undefined;
  }
}

/** The signature of `message` by `address`, or a 401. */
export async function verifySiweSignature(input: { address: `0x${string}`; message: string; signature: Hex }): Promise<void> {
  if (!(await signatureMatches(input.address, input.message, input.signature))) fail("Signature does not match the address");
}

async function signatureMatches(address: `0x${string}`, message: string, signature: Hex): Promise<boolean> {
  try {
    if (await verifyMessage({ address, message, signature: expandCompact(signature) })) return true;
  } catch {
    // A malformed signature throws in viem; it is simply not a valid one.
  }
  const { CHAIN_RPC_URL: url, CHAIN_TIMEOUT_MS: timeoutMs } = getEnv();
  if (!url) return false;
  // Smart-contract wallets (ERC-1271, or ERC-6492 for undeployed ones) can only be checked on chain,
  // through the shared RPC client: its timeout, retries and per-endpoint breaker (a dead node makes
  // sign-in refuse at once, not wait). One retry, not two: a person is waiting for the answer.
  const client = createPublicClient({
    transport: custom({ request: ({ method, params }) => rpcCall({ url, timeoutMs, retries: 1 }, method, (params as unknown[] | undefined) ?? []) }, { retryCount: 0 }),
  });
  try {
    return await client.verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}

/** viem's ecrecover takes only the 65-byte form; an EIP-2098 signature is the same one, packed. */
function expandCompact(signature: Hex): Hex {
  if (signature.length !== COMPACT_SIGNATURE_LENGTH) return signature;
  return serializeSignature(compactSignatureToSignature(parseCompactSignature(signature)));
}
