import { issueNonce } from "@/lib/auth/nonces";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A fresh single-use nonce for a Sign-In With Ethereum message (valid 5 minutes). */
export const GET = route(async () => {
  const { nonce, expiresAt } = await issueNonce();
  return Response.json({ nonce, expiresAt: expiresAt.toISOString() }, { headers: { "Cache-Control": "no-store" } });
});
