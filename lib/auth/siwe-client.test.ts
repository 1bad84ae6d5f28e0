import { describe, expect, it } from "vitest";

import { signInMessage, SIGN_IN_STATEMENT } from "./siwe-client";
import { parseSiweMessage } from "./siwe-message";

describe("the client's sign-in message", () => {
  it.each(["http://localhost:3000", "http://[::1]:3400", "https://nwu.example.org"])("on %s parses strictly into this app's fields", (origin) => {
    const now = new Date("2026-12-01T10:00:00.000Z");
    const message = signInMessage({ origin, address: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", chainId: 31337, nonce: "abcdefgh12345678abcdefgh", now });
    expect(parseSiweMessage(message)).toMatchObject({
      domain: new URL(origin).host,
      uri: new URL(origin).origin,
      address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      statement: SIGN_IN_STATEMENT,
      chainId: 31337,
      nonce: "abcdefgh12345678abcdefgh",
      issuedAt: "2026-12-01T10:00:00.000Z",
      expirationTime: "2026-12-01T10:10:00.000Z",
    });
  });
});
