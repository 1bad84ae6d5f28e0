import "server-only";

import { getEnv, type Env } from "@/lib/config/env";
import { payoutsEnabled, payoutConfig } from "@/lib/rewards/payout-config";

/**
 * What an operator has set up, for the admin's checklist: each optional service in plain words,
 * and the settings that turn it on. Only admins see setting names; everyone else is told what the
 * server can do ("payments are not set up here"), never how it is configured.
 */
export interface SetupItem {
  id: "database" | "payments" | "webhooks" | "payouts" | "llm" | "public-url" | "admins" | "demo";
  label: string;
  ready: boolean;
  /** What follows from the current state, in plain words. */
  detail: string;
  /** The settings that change it (shown to admins only). */
  settings: readonly string[];
}

export function setupChecklist(env: Env = getEnv()): SetupItem[] {
  const payouts = payoutConfig(env);
  const prices = !!env.STRIPE_PRICE_PRO && !!env.STRIPE_PRICE_ENTERPRISE;
  const overage = !!env.STRIPE_PRICE_PRO_OVERAGE && !!env.STRIPE_PRICE_ENTERPRISE_OVERAGE;
  return [
    {
      id: "database",
      label: "Database",
      ready: !!env.DATABASE_URL,
      detail: env.DATABASE_URL ? "PostgreSQL: several instances can share it." : "The embedded database under the data folder: one instance only.",
      settings: ["DATABASE_URL"],
    },
    {
      id: "payments",
      label: "Payments (Stripe)",
      ready: !!env.STRIPE_SECRET_KEY && prices,
      detail: !env.STRIPE_SECRET_KEY
        ? "Off: plans are shown for reference and nobody can buy one."
        : !prices
          ? "A key is set, but a paid plan has no price: run npm run stripe:setup."
          : overage
            ? "On: people can subscribe to Pro and Enterprise; requests beyond a plan's included ones are billed."
            : "On, but requests beyond a plan's included ones are not billed (no overage price): run npm run stripe:setup.",
      settings: ["STRIPE_SECRET_KEY", "STRIPE_PRICE_PRO", "STRIPE_PRICE_ENTERPRISE", "STRIPE_PRICE_PRO_OVERAGE", "STRIPE_PRICE_ENTERPRISE_OVERAGE"],
    },
    {
      id: "webhooks",
      label: "Stripe webhooks",
      ready: !!env.STRIPE_WEBHOOK_SECRET,
      detail: env.STRIPE_WEBHOOK_SECRET ? "Signed events activate and end plans." : "Off: paid plans are never activated.",
      settings: ["STRIPE_WEBHOOK_SECRET"],
    },
    {
      id: "payouts",
      label: "On-chain payouts",
      ready: payoutsEnabled(payouts),
      detail: payoutsEnabled(payouts) ? "On: pending rewards can be paid from the distributor." : "Off: rewards stay pending until a chain is configured.",
      settings: ["CHAIN_RPC_URL", "CHAIN_ID", "TOKEN_ADDRESS", "DISTRIBUTOR_ADDRESS", "PAYOUT_PRIVATE_KEY"],
    },
    {
      id: "llm",
      label: "LLM verifier",
      ready: !!(env.LLM_BASE_URL && env.LLM_API_KEY && env.LLM_MODEL),
      detail: env.LLM_BASE_URL && env.LLM_API_KEY && env.LLM_MODEL ? "On: an LLM gives the AI vote (the built-in agent if it fails)." : "Off: the built-in offline agent gives the AI vote.",
      settings: ["LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL"],
    },
    {
      id: "public-url",
      label: "Public address",
      ready: !!env.APP_URL,
      detail: env.APP_URL ? `Sign-in messages are bound to ${new URL(env.APP_URL).host}.` : "Not set: sign-in trusts the request's Host header. Set it in production.",
      settings: ["APP_URL"],
    },
    {
      id: "admins",
      label: "Administrators",
      ready: env.ADMIN_ADDRESSES.length > 0,
      detail: env.ADMIN_ADDRESSES.length > 0 ? `${env.ADMIN_ADDRESSES.length} address${env.ADMIN_ADDRESSES.length === 1 ? "" : "es"} configured.` : "None configured: only stored admins (the demo admin in demo mode).",
      settings: ["ADMIN_ADDRESSES"],
    },
    {
      id: "demo",
      label: "Demo mode",
      ready: !env.demoMode,
      detail: env.demoMode ? "On: the demo accounts, whose keys are public, hold their roles. Turn it off before real use." : "Off: demo accounts hold no role.",
      settings: ["DEMO_MODE"],
    },
  ];
}
