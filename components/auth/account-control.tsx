import { walletOptions } from "@/lib/auth/wallet-options";

import { AccountControlClient } from "./account-control-client";

/** The header's account area. What the connect dialog offers is read from the server's configuration per request. */
export function AccountControl() {
  return <AccountControlClient options={walletOptions()} />;
}
