import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";

import { DEMO_ACCOUNTS } from "./demo-accounts";

describe("demo accounts", () => {
  it.each(DEMO_ACCOUNTS.map((a) => [a.label, a] as const))("%s: the address is the key's", (_, a) => {
    expect(privateKeyToAccount(a.privateKey).address.toLowerCase()).toBe(a.address);
  });
});
