import type { Page } from "@playwright/test";
import { numberToHex, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

export interface TestWalletOptions {
  /** The chain the wallet starts on (1 unless said). */
  chainId?: number;
  /** false: only `window.ethereum`, no EIP-6963 announcement (a legacy wallet). */
  announce?: boolean;
}

/**
 * A real EIP-1193 wallet for Chromium: `window.ethereum` (and an EIP-6963 announcement) in the
 * page, forwarding every request to a viem private-key account in the test process. Signatures are
 * real secp256k1 signatures; no RPC is involved.
 */
export class TestWallet {
  private account: PrivateKeyAccount;
  private chainId: number;
  private readonly announce: boolean;

  constructor(
    private readonly page: Page,
    privateKey: Hex,
    options: TestWalletOptions = {},
  ) {
    this.account = privateKeyToAccount(privateKey);
    this.chainId = options.chainId ?? 1;
    this.announce = options.announce ?? true;
  }

  get address(): `0x${string}` {
    return this.account.address;
  }

  async install(): Promise<this> {
    await this.page.exposeFunction("__nwuWalletRequest", async (method: string, params: unknown[] = []) => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [this.account.address];
        case "eth_chainId":
          return numberToHex(this.chainId);
        case "net_version":
          return String(this.chainId);
        case "personal_sign":
          return this.account.signMessage({ message: { raw: params[0] as Hex } });
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_revokePermissions":
          return null;
        case "wallet_switchEthereumChain":
          this.chainId = Number((params[0] as { chainId: string }).chainId);
          return null;
        default:
          throw new Error(`TestWallet: unsupported method ${method}`);
      }
    });
    await this.page.addInitScript((announceIt: boolean) => {
      type Listener = (...args: unknown[]) => void;
      const listeners = new Map<string, Set<Listener>>();
      const provider = {
        isTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const result = await (window as unknown as { __nwuWalletRequest: (m: string, p?: unknown[]) => Promise<unknown> }).__nwuWalletRequest(method, params);
          // As a real wallet does once the user approved the switch.
          if (method === "wallet_switchEthereumChain") provider.__emit("chainChanged", (params![0] as { chainId: string }).chainId);
          return result;
        },
        on(event: string, fn: Listener) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(fn);
          return provider;
        },
        removeListener(event: string, fn: Listener) {
          listeners.get(event)?.delete(fn);
          return provider;
        },
        __emit(event: string, ...args: unknown[]) {
          for (const fn of listeners.get(event) ?? []) fn(...args);
        },
      };
      (window as unknown as { ethereum: unknown }).ethereum = provider;
      const info = {
        uuid: "6c1f3a2e-3f1b-4c55-9d2a-2c9a3b1e7f10",
        name: "Test Wallet",
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E",
        rdns: "dev.nwu.testwallet",
      };
      const announce = () =>
        window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
      if (!announceIt) return;
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    }, this.announce);
    return this;
  }

  /** The user switches account in the wallet: pages are told through `accountsChanged`. */
  async switchAccount(privateKey: Hex): Promise<void> {
    this.account = privateKeyToAccount(privateKey);
    await this.page.evaluate((address) => {
      (window as unknown as { ethereum: { __emit: (e: string, ...a: unknown[]) => void } }).ethereum.__emit("accountsChanged", [address]);
    }, this.account.address);
  }
}
