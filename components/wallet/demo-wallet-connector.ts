"use client";

import { getAddress, numberToHex, SwitchChainError, UserRejectedRequestError, type EIP1193RequestFn, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { ChainNotConfiguredError, createConnector } from "wagmi";

/**
 * Demo mode's burner wallet (as scaffold-eth-2's): a private key generated in this browser on
 * first use and kept in its localStorage, so the same address comes back after a reload. It signs
 * like any wallet (personal_sign through an EIP-1193 provider), so sign-in takes the ordinary SIWE
 * path. The key never leaves the browser and holds nothing; no key ships in any bundle.
 */
const KEY_ITEM = "nwu.demoWallet.key";
const KEY_SHAPE = /^0x[0-9a-fA-F]{64}$/;
/** Set (in wagmi's storage) while connected: a reload reconnects it, a disconnect does not. */
const CONNECTED_ITEM = "demoWallet.connected";

function loadAccount(): PrivateKeyAccount {
  let key = localStorage.getItem(KEY_ITEM);
  if (!key || !KEY_SHAPE.test(key)) {
    key = generatePrivateKey();
    localStorage.setItem(KEY_ITEM, key);
  }
  return privateKeyToAccount(key as Hex);
}

export const DEMO_WALLET_ID = "demoWallet";

type Provider = { request: EIP1193RequestFn };

export function demoWallet() {
  let account: PrivateKeyAccount | undefined;
  const current = () => (account ??= loadAccount());
  return createConnector<Provider, Record<string, unknown>, { [CONNECTED_ITEM]: boolean }>((config) => {
    let chainId: number = config.chains[0].id;
    const provider: Provider = {
      request: (async ({ method, params }: { method: string; params?: unknown }) => {
        const args = (params ?? []) as unknown[];
        switch (method) {
          case "eth_accounts":
          case "eth_requestAccounts":
            return [current().address];
          case "eth_chainId":
            return numberToHex(chainId);
          case "personal_sign":
            return current().signMessage({ message: { raw: args[0] as Hex } });
          case "wallet_switchEthereumChain": {
            const id = Number((args[0] as { chainId: string }).chainId);
            if (!config.chains.some((c) => c.id === id)) throw new SwitchChainError(new ChainNotConfiguredError());
            chainId = id;
            config.emitter.emit("change", { chainId });
            return null;
          }
          default:
            // It holds no funds and knows no chain: it signs, and that is all.
            throw new UserRejectedRequestError(new Error(`The demo wallet does not support ${method}`));
        }
      }) as EIP1193RequestFn,
    };
    return {
      id: DEMO_WALLET_ID,
      name: "Demo wallet",
      type: "demoWallet",
      async connect({ chainId: wanted, withCapabilities } = {}) {
        if (wanted && config.chains.some((c) => c.id === wanted)) chainId = wanted;
        await config.storage?.setItem(CONNECTED_ITEM, true);
        const address = getAddress(current().address);
        return {
          accounts: (withCapabilities ? [{ address, capabilities: {} }] : [address]) as never,
          chainId,
        };
      },
      async disconnect() {
        await config.storage?.removeItem(CONNECTED_ITEM);
      },
      async getAccounts() {
        return [getAddress(current().address)];
      },
      async getChainId() {
        return chainId;
      },
      async getProvider() {
        return provider;
      },
      async isAuthorized() {
        return Boolean(await config.storage?.getItem(CONNECTED_ITEM));
      },
      async switchChain({ chainId: id }) {
        const chain = config.chains.find((c) => c.id === id);
        if (!chain) throw new SwitchChainError(new ChainNotConfiguredError());
        await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(id) }] });
        return chain;
      },
      onAccountsChanged() {},
      onChainChanged(id) {
        config.emitter.emit("change", { chainId: Number(id) });
      },
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}
