/** Signs a viem account in through the real nonce/verify route handlers; returns its Cookie header. */
import type { PrivateKeyAccount } from "viem/accounts";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";

import { TEST_ORIGIN, signedSiwe } from "./siwe";

export async function signedInCookie(account: PrivateKeyAccount): Promise<string> {
  const { nonce } = (await (await nonceRoute(new Request(`${TEST_ORIGIN}/api/auth/nonce`), undefined)).json()) as { nonce: string };
  const res = await verifyRoute(
    new Request(`${TEST_ORIGIN}/api/auth/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify(await signedSiwe(account, { nonce })),
    }),
    undefined,
  );
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const match = /nwu_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "");
  return `nwu_session=${match![1]}`;
}
