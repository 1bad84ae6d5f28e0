import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { signedSignIn } from "../../lib/auth/siwe-client";

/** A fresh HTTP client signed in as the wallet of `privateKey` through the real SIWE endpoints. */
export async function signedInContext(baseURL: string, privateKey: Hex): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  await signInWith(ctx, baseURL, privateKey);
  return ctx;
}

/** A signed Sign-In With Ethereum message for this app, with a nonce freshly issued by it. */
export async function signedSiweFor(baseURL: string, privateKey: Hex): Promise<{ message: string; signature: Hex }> {
  const account = privateKeyToAccount(privateKey);
  const { message, signature } = await signedSignIn({ origin: baseURL, address: account.address, chainId: 1, sign: (m) => account.signMessage({ message: m }) });
  return { message, signature };
}

export async function signInWith(ctx: APIRequestContext, baseURL: string, privateKey: Hex): Promise<void> {
  const res = await ctx.post("/api/auth/verify", { data: await signedSiweFor(baseURL, privateKey) });
  if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
}

export async function anonymousContext(baseURL: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
}
