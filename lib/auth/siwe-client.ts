import { getAddress, type Hex } from "viem";

import { formatSiweMessage } from "./siwe-format";

/**
 * The client side of Sign-In With Ethereum, one flow for every caller: the browser's wallet dialog,
 * e2e helpers, benchmarks and tests. It asks this app for a nonce, lays out the EIP-4361 message
 * (our own formatter: viem's refuses IPv6 hosts, which EIP-4361 allows), has it signed, and posts
 * it to /api/auth/verify. Free of server imports: it runs in the browser too.
 */
export const SIGN_IN_STATEMENT = "Sign in to NWU Protocol.";
const MESSAGE_LIFETIME_MS = 10 * 60 * 1000;

export interface SignInMessageInput {
  /** The app's origin, e.g. `http://localhost:3000`: the message's domain and URI. */
  origin: string;
  address: string;
  chainId: number;
  nonce: string;
  now?: Date;
}

/** The message this app asks a wallet to sign. */
export function signInMessage(input: SignInMessageInput): string {
  const now = input.now ?? new Date();
  const origin = new URL(input.origin);
  return formatSiweMessage({
    domain: origin.host,
    address: getAddress(input.address),
    statement: SIGN_IN_STATEMENT,
    uri: origin.origin,
    version: "1",
    chainId: input.chainId,
    nonce: input.nonce,
    issuedAt: now.toISOString(),
    expirationTime: new Date(now.getTime() + MESSAGE_LIFETIME_MS).toISOString(),
  });
}

export interface SignInOptions {
  origin: string;
  address: string;
  chainId: number;
  sign: (message: string) => Promise<Hex>;
  /** Called as the flow moves on (the wallet dialog shows it). */
  onStep?: (step: "signing" | "verifying") => void;
  /** Headers for the verify request (server-side callers send Origin). */
  headers?: Record<string, string>;
}

/** A fresh nonce from the app, and the signed message for it (not yet posted). */
export async function signedSignIn(o: Omit<SignInOptions, "headers">): Promise<{ message: string; signature: Hex; nonce: string }> {
  const res = await fetch(new URL("/api/auth/nonce", o.origin), { cache: "no-store" });
  if (!res.ok) throw new Error(`Could not get a sign-in nonce (HTTP ${res.status}); try again`);
  const { nonce } = (await res.json()) as { nonce: string };
  const message = signInMessage({ origin: o.origin, address: o.address, chainId: o.chainId, nonce });
  o.onStep?.("signing");
  return { message, signature: await o.sign(message), nonce };
}

/** The whole flow; the answer of POST /api/auth/verify (its Set-Cookie holds the session). */
export async function signInWithWallet(o: SignInOptions): Promise<Response> {
  const { message, signature } = await signedSignIn(o);
  o.onStep?.("verifying");
  return fetch(new URL("/api/auth/verify", o.origin), {
    method: "POST",
    headers: { "content-type": "application/json", ...o.headers },
    body: JSON.stringify({ message, signature }),
  });
}
