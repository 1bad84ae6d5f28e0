/** Builds and signs real EIP-4361 messages with viem private-key accounts, for tests. */
import { privateKeyToAccount, generatePrivateKey, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

import { formatSiweMessage } from "@/lib/auth/siwe-format";
import type { SiweMessage } from "@/lib/auth/siwe-message";

export const TEST_ORIGIN = "http://localhost:3000";

export function newAccount(): PrivateKeyAccount {
  return privateKeyToAccount(generatePrivateKey());
}

export interface MessageOptions {
  domain?: string;
  uri?: string;
  chainId?: number;
  nonce: string;
  issuedAt?: Date;
  expirationTime?: Date | null;
  notBefore?: Date;
  address?: `0x${string}`;
}

export function siweMessage(account: PrivateKeyAccount, o: MessageOptions): string {
  const now = Date.now();
  return createSiweMessage({
    domain: o.domain ?? new URL(TEST_ORIGIN).host,
    address: o.address ?? account.address,
    statement: "Sign in to NWU Protocol.",
    uri: o.uri ?? TEST_ORIGIN,
    version: "1",
    chainId: o.chainId ?? 1,
    nonce: o.nonce,
    issuedAt: o.issuedAt ?? new Date(now),
    ...(o.expirationTime === null ? {} : { expirationTime: o.expirationTime ?? new Date(now + 10 * 60_000) }),
    ...(o.notBefore ? { notBefore: o.notBefore } : {}),
  });
}

export async function signedSiwe(account: PrivateKeyAccount, o: MessageOptions) {
  const message = siweMessage(account, o);
  return { message, signature: await account.signMessage({ message }) };
}

/** Raw field text of an EIP-4361 message; nothing is validated, so tests can sign malformed ones too. */
export type SiweTextFields = { [K in keyof SiweMessage]?: SiweMessage[K] | string | null };

/**
 * The message our wallet dialog would write from these raw values (the layout the verification
 * vectors were signed over): a missing required field becomes an empty value, a missing or null
 * optional one is left out.
 */
export function siweText(f: SiweTextFields): string {
  const present = Object.fromEntries(Object.entries(f).filter(([, v]) => v != null));
  const required = { domain: "", address: "", uri: "", version: "", chainId: "", nonce: "", issuedAt: "" };
  return formatSiweMessage({ ...required, ...present } as unknown as SiweMessage);
}
