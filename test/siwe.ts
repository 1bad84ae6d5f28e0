/** Builds and signs real EIP-4361 messages with viem private-key accounts, for tests. */
import { privateKeyToAccount, generatePrivateKey, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

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
