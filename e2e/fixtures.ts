import { test as base, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { Hex } from "viem";
import { generatePrivateKey } from "viem/accounts";

import { DEMO_ACCOUNTS } from "../db/demo-accounts";

import type { BuiltAction } from "./authorization/inventory";
import { HomePage } from "./pages/home-page";
import { builtActions, callAction } from "./support/actions";
import { signedInContext } from "./support/api-session";
import { TestWallet } from "./support/wallet";

/**
 * A signed-in user: a browser context holding the session cookie (its page has the wallet
 * installed), and an HTTP client on the same session that sends the app's Origin (for POSTs).
 * Signed in through the real SIWE endpoints, not the wallet dialog: e2e/auth.spec.ts covers that.
 */
export interface Persona {
  address: `0x${string}`;
  privateKey: Hex;
  wallet: TestWallet;
  context: BrowserContext;
  page: Page;
  request: APIRequestContext;
}

interface Personas {
  homePage: HomePage;
  /** Demo contributor 1. */
  asContributor: Persona;
  /** Demo contributor 2: a second contributor, distinct from the first. */
  asOtherContributor: Persona;
  /** Demo verifier 1. */
  asVerifier: Persona;
  /** Demo verifier 2. */
  asVerifier2: Persona;
  /** Demo admin. */
  asAdmin: Persona;
  /** A signed-in persona for any key, on the e2e server or another origin (closed after the test). */
  signedIn: (privateKey: Hex, options?: { baseURL?: string }) => Promise<Persona>;
  /** A new wallet, signed in: a contributor with nothing of its own yet. */
  freshContributor: () => Promise<Persona>;
  /** A new wallet, signed in, then granted the verifier role by the admin persona (panels larger than the demo accounts). */
  freshVerifier: () => Promise<Persona>;
  freshVerifiers: (n: number) => Promise<Persona[]>;
}

async function openPersona(browser: Browser, baseURL: string, privateKey: Hex): Promise<Persona> {
  const request = await signedInContext(baseURL, privateKey);
  const context = await browser.newContext({ baseURL, storageState: await request.storageState() });
  const page = await context.newPage();
  const wallet = await new TestWallet(page, privateKey).install();
  return { address: wallet.address, privateKey, wallet, context, page, request };
}

export const test = base.extend<Personas>({
  homePage: async ({ page }, use) => {
    await use(new HomePage(page));
  },
  signedIn: async ({ browser, baseURL }, use) => {
    const opened: Persona[] = [];
    await use(async (privateKey, options = {}) => {
      const persona = await openPersona(browser, options.baseURL ?? baseURL!, privateKey);
      opened.push(persona);
      return persona;
    });
    for (const p of opened) {
      await p.context.close();
      await p.request.dispose();
    }
  },
  asContributor: async ({ signedIn }, use) => use(await signedIn(DEMO_ACCOUNTS[3].privateKey)),
  asOtherContributor: async ({ signedIn }, use) => use(await signedIn(DEMO_ACCOUNTS[4].privateKey)),
  asVerifier: async ({ signedIn }, use) => use(await signedIn(DEMO_ACCOUNTS[1].privateKey)),
  asVerifier2: async ({ signedIn }, use) => use(await signedIn(DEMO_ACCOUNTS[2].privateKey)),
  asAdmin: async ({ signedIn }, use) => use(await signedIn(DEMO_ACCOUNTS[0].privateKey)),
  freshContributor: async ({ signedIn }, use) => use(() => signedIn(generatePrivateKey())),
  freshVerifier: async ({ signedIn, baseURL }, use) => {
    // Opened on the first call only: the admin persona that grants, and the action it calls.
    let admin: Promise<Persona> | undefined;
    let grant: BuiltAction | undefined;
    await use(async () => {
      // The same server action /admin's "Grant verifier" button (components/admin/role-toggle.tsx) calls.
      grant ??= builtActions().get("ACTION lib/users/actions.ts#setVerifierRoleAction");
      if (!grant) throw new Error("setVerifierRoleAction is not in the build");
      const verifier = await signedIn(generatePrivateKey());
      admin ??= signedIn(DEMO_ACCOUNTS[0].privateKey);
      const granted = await callAction((await admin).request, baseURL!, grant, [{ address: verifier.address, role: "verifier", grant: true }]);
      if (!granted.ok) throw new Error(`granting the verifier role failed: ${granted.status} ${granted.error}`);
      return verifier;
    });
  },
  freshVerifiers: async ({ freshVerifier }, use) => {
    await use(async (n) => {
      const panel: Persona[] = [];
      for (let i = 0; i < n; i++) panel.push(await freshVerifier());
      return panel;
    });
  },
});

export { expect } from "@playwright/test";
