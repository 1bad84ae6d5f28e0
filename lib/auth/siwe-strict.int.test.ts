/**
 * EIP-4361 read to the letter, through POST /api/auth/verify: each message the lenient parser used
 * to half-read (and sign in) is now a 401 naming the broken rule, and the valid forms it refused
 * (IPv6 hosts, lowercase `z`, EIP-2098 signatures) sign in.
 */
import { parseSignature, serializeCompactSignature, signatureToCompactSignature, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";

import { GET as nonceRoute } from "@/app/api/auth/nonce/route";
import { POST as verifyRoute } from "@/app/api/auth/verify/route";
import { resetEnvCache } from "@/lib/config/env";
import { setupTestDatabase } from "@/test/db";
import { TEST_ORIGIN, newAccount, siweText, type SiweTextFields } from "@/test/siwe";

setupTestDatabase();

const DAY = 24 * 60 * 60_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const dateOnly = (ms: number) => iso(ms).slice(0, 10);

async function getNonce(): Promise<string> {
  const res = await nonceRoute(new Request(`${TEST_ORIGIN}/api/auth/nonce`), undefined);
  expect(res.status).toBe(200);
  return (await res.json()).nonce;
}

/** A message that signs in as it stands; each case breaks (or stretches) one thing in it. */
async function fields(account: PrivateKeyAccount, over: SiweTextFields = {}): Promise<SiweTextFields> {
  return {
    domain: new URL(TEST_ORIGIN).host,
    address: account.address,
    statement: "Sign in to NWU Protocol.",
    uri: TEST_ORIGIN,
    version: "1",
    chainId: 1,
    nonce: await getNonce(),
    issuedAt: iso(0),
    expirationTime: iso(10 * 60_000),
    ...over,
  };
}

async function post(message: string, signature: string, origin = TEST_ORIGIN) {
  const res = await verifyRoute(
    new Request(`${origin}/api/auth/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ message, signature }),
    }),
    undefined,
  );
  return { status: res.status, error: res.status === 200 ? undefined : ((await res.json()) as { error: string }).error };
}

async function signAndPost(account: PrivateKeyAccount, message: string) {
  return post(message, await account.signMessage({ message }));
}

const swapLines = (text: string, a: string, b: string) => {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith(a));
  const j = lines.findIndex((l) => l.startsWith(b));
  [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  return lines.join("\n");
};

afterEach(() => {
  delete process.env.APP_URL;
  resetEnvCache();
});

describe("refused: present but unreadable, or not EIP-4361 (each a 401 naming the rule)", () => {
  it("Not Before one day ahead with a lowercase z is read, so the message is not valid yet", async () => {
    const account = newAccount();
    const notBefore = iso(DAY).replace("Z", "z");
    const res = await signAndPost(account, siweText(await fields(account, { notBefore, expirationTime: iso(2 * DAY) })));
    expect(res).toEqual({ status: 401, error: "Message not valid yet (notBefore)" });
  });

  it.each([
    ["Issued At on 31 February", { issuedAt: "2025-02-31T12:00:00Z" }, /Issued At/],
    ["Issued At at hour 24", { issuedAt: `${dateOnly(-DAY)}T24:00:00Z` }, /Issued At/],
    ["Expiration Time on 31 February", { expirationTime: "2099-02-31T00:00:00Z" }, /Expiration Time/],
    ["Expiration Time at hour 24", { expirationTime: `${dateOnly(DAY)}T24:00:00Z` }, /Expiration Time/],
    ["Not Before on 31 February", { notBefore: "2025-02-31T12:00:00Z" }, /Not Before/],
    ["Not Before at hour 24", { notBefore: `${dateOnly(-DAY)}T24:00:00.000Z` }, /Not Before/],
  ] as const)("an impossible date: %s", async (_, over, field) => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account, over)));
    expect(res.status).toBe(401);
    expect(res.error).toMatch(field);
    expect(res.error).toMatch(/RFC 3339/);
  });

  it.each([
    ["all lowercase", (a: string) => a.toLowerCase()],
    ["a wrong checksum", (a: string) => a.replace(/[a-fA-F]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))],
  ])("an address not in EIP-55 form: %s", async (_, spoil) => {
    const account = newAccount();
    const address = spoil(account.address);
    expect(address.toLowerCase()).toBe(account.address.toLowerCase());
    expect(address).not.toBe(account.address);
    const res = await signAndPost(account, siweText(await fields(account, { address })));
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/EIP-55/) });
  });

  it.each([
    ["a resource that is not a URI", { resources: ["https://nwu.example/ok", "not a uri"] }, /resource/i],
    ["two resources on one line", { resources: ["https://a.example - https://b.example"] }, /resource/i],
  ])("%s", async (_, over, rule) => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account, over)));
    expect(res.status).toBe(401);
    expect(res.error).toMatch(rule);
  });

  it("a resource line without its '- '", async () => {
    const account = newAccount();
    const text = `${siweText(await fields(account, { resources: ["https://a.example"] }))}\nhttps://b.example`;
    const res = await signAndPost(account, text);
    expect(res.status).toBe(401);
    expect(res.error).toMatch(/- /);
  });

  it("a statement with a line break", async () => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account, { statement: "Sign in to\nNWU Protocol." })));
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/statement/) });
  });

  it("a statement with non-ASCII characters", async () => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account, { statement: "Connexion à NWU" })));
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/statement/) });
  });

  it.each([
    ["Version before URI", "Version: ", "URI: "],
    ["Nonce before Chain ID", "Chain ID: ", "Nonce: "],
    ["Not Before after Request ID", "Not Before: ", "Request ID: "],
  ])("fields out of the ABNF's order: %s", async (_, a, b) => {
    const account = newAccount();
    const text = siweText(await fields(account, { notBefore: iso(-60_000), requestId: "req-1" }));
    const res = await signAndPost(account, swapLines(text, a, b));
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/out of order/) });
  });

  it("a Request ID with a space", async () => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account, { requestId: "req 1" })));
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/Request ID/) });
  });

  it.each([
    ["a line of text", "\nSee you soon"],
    ["a repeated field", "\nChain ID: 137"],
    ["a final line break", "\n"],
  ])("trailing data after the last field: %s", async (_, tail) => {
    const account = newAccount();
    const res = await signAndPost(account, siweText(await fields(account)) + tail);
    expect(res).toEqual({ status: 401, error: expect.stringMatching(/trailing data/) });
  });
});

describe("accepted: valid EIP-4361 the lenient parser refused", () => {
  it("an IPv6 host as domain and in the URI, with APP_URL=http://[::1]:3400", async () => {
    process.env.APP_URL = "http://[::1]:3400";
    resetEnvCache();
    const origin = "http://[::1]:3400";
    const account = newAccount();
    const message = siweText(await fields(account, { domain: "[::1]:3400", uri: `${origin}/login` }));
    expect(await post(message, await account.signMessage({ message }), origin)).toEqual({ status: 200, error: undefined });
  });

  it.each([
    ["an Expiration Time with a lowercase z", { expirationTime: iso(10 * 60_000).replace("Z", "z") }],
    ["an Issued At with lowercase t and z", { issuedAt: iso(0).replace("T", "t").replace("Z", "z") }],
  ])("%s", async (_, over) => {
    const account = newAccount();
    expect(await signAndPost(account, siweText(await fields(account, over)))).toEqual({ status: 200, error: undefined });
  });

  it("an Expiration Time with a numeric offset", async () => {
    const account = newAccount();
    // 10 minutes ahead, written in UTC-05:00.
    const at = new Date(Date.now() + 10 * 60_000 - 5 * 60 * 60_000).toISOString().replace("Z", "-05:00");
    expect(await signAndPost(account, siweText(await fields(account, { expirationTime: at })))).toEqual({ status: 200, error: undefined });
  });

  it("an EIP-2098 compact (64-byte) signature", async () => {
    const account = newAccount();
    const message = siweText(await fields(account));
    const full = await account.signMessage({ message });
    const compact: Hex = serializeCompactSignature(signatureToCompactSignature(parseSignature(full)));
    expect((compact.length - 2) / 2).toBe(64);
    expect(await post(message, compact)).toEqual({ status: 200, error: undefined });
  });
});
