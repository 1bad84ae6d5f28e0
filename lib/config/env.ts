/**
 * Configuration, validated once. Nothing is required: with an empty environment the app runs on
 * embedded PGlite and IPFS under ./.data. A bad value stops the process with one line naming the
 * variable (see `loadEnvOrExit`), never a stack trace.
 */
import "server-only";

import { z } from "zod";

import { databaseFields, int, optionalString } from "@/db/config";
import { demoAccountFor } from "@/db/demo-accounts";
import { SIGN_IN_CHAINS } from "@/lib/chains";
import { ADDRESS_PATTERN, walletAddress } from "@/lib/address";


const decimal = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .default(def);

const fields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  ...databaseFields,
  APP_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://nwu.example" }).optional()),
  ADMIN_ADDRESSES: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const list = v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const a of list) {
        if (!ADDRESS_PATTERN.test(a)) {
          ctx.addIssue({ code: "custom", message: `"${a}" is not a 0x-prefixed 40-hex-digit address` });
          return z.NEVER;
        }
      }
      return list.map((a) => a.toLowerCase());
    }),
  /** Chains a Sign-In With Ethereum message may name (mainnet, Sepolia, Hardhat/Anvil by default). */
  SIWE_CHAIN_IDS: z
    .string()
    .default(SIGN_IN_CHAINS.map((c) => c.id).join(","))
    .transform((v, ctx) => {
      const ids = v.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
      if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
        ctx.addIssue({ code: "custom", message: "must be a comma-separated list of positive chain ids" });
        return z.NEVER;
      }
      return ids;
    }),
  /** A session unused for this long expires (each use slides it forward). */
  SESSION_IDLE_HOURS: int(72, 1, 24 * 90),
  /** No session lives longer than this, however active. */
  SESSION_MAX_DAYS: int(30, 1, 365),
  /** JSON-RPC endpoint of the payout chain; also lets sign-in verify smart-contract wallets (ERC-1271/6492). */
  CHAIN_RPC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  /** Chain id the payout chain must report (checked before any payout; 31337 = Hardhat). */
  CHAIN_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/, { error: "must be a positive chain id" })
      .transform(Number)
      .optional(),
  ),
  /** The NWU ERC-20 token (contracts/NWUToken.sol). */
  TOKEN_ADDRESS: optionalString.pipe(walletAddress("must be a 0x-prefixed 40-hex-digit address").optional()),
  /** The treasury that pays batches (contracts/NWUDistributor.sol), owned by the payout key. */
  DISTRIBUTOR_ADDRESS: optionalString.pipe(walletAddress("must be a 0x-prefixed 40-hex-digit address").optional()),
  /** Private key (0x + 64 hex digits) of the distributor's owner: signs payout transactions. Server only. */
  PAYOUT_PRIVATE_KEY: optionalString.pipe(z.string().regex(/^0x[0-9a-fA-F]{64}$/, { error: "must be 0x followed by 64 hex digits" }).optional()),
  /** Blocks on top of a payout transaction before its rewards count as distributed. Default 1. */
  PAYOUT_CONFIRMATIONS: int(1, 1, 64),
  /** Most rewards paid by one batch (one transaction). Default 100. */
  PAYOUT_BATCH_SIZE: int(100, 1, 500),
  /** Timeout of one chain RPC call in milliseconds (retried with backoff). Default 10000. */
  CHAIN_TIMEOUT_MS: int(10_000, 200, 120_000),
  /** How long a payout waits for its transaction to be mined before checking again later. Default 120000. */
  PAYOUT_CONFIRM_TIMEOUT_MS: int(120_000, 1_000, 3_600_000),
  /** off: the embedded IPFS node stays offline (default); on: it joins the public IPFS network. */
  IPFS_NETWORK: z.enum(["off", "on"]).default("off"),
  /** Largest accepted upload in bytes, enforced while streaming. Default 1 GiB. */
  MAX_UPLOAD_BYTES: z.coerce
    .number({ error: "must be a whole number of bytes" })
    .int({ error: "must be a whole number of bytes" })
    .min(1, { error: "must be at least 1" })
    .max(64 * 1024 ** 3, { error: "must be at most 64 GiB" })
    .default(1024 ** 3),
  /** An upload that sends no bytes for this many milliseconds is abandoned (slow-loris guard). Default 30000. */
  UPLOAD_IDLE_TIMEOUT_MS: int(30_000, 500, 600_000),
  /** Folder of unfinished resumable (tus) uploads; instances behind one load balancer share one. Default DATA_DIR/uploads. */
  UPLOAD_DIR: optionalString,
  /** An unfinished resumable upload is removed this many hours after its creation. Default 24. */
  UPLOAD_EXPIRY_HOURS: int(24, 1, 24 * 30),
  /** Unfinished resumable uploads one user may have at once. Default 3. */
  MAX_ACTIVE_UPLOADS: int(3, 1, 100),
  /** Bytes (declared lengths) of one user's unfinished resumable uploads, at most. Default 4 GiB. */
  MAX_PENDING_UPLOAD_BYTES: z.coerce
    .number({ error: "must be a whole number of bytes" })
    .int({ error: "must be a whole number of bytes" })
    .min(1, { error: "must be at least 1" })
    .max(1024 ** 4, { error: "must be at most 1 TiB" })
    .default(4 * 1024 ** 3),
  /** Votes needed before a contribution is decided (the AI agent's vote counts as one). */
  MIN_VERIFICATIONS: int(3, 1, 50),
  /** Final score (0–100, the robust weighted aggregate) at or above which a contribution is verified; below it, rejected. */
  VERIFICATION_THRESHOLD: int(70, 0, 100),
  /** Summed voter weight needed, with MIN_VERIFICATIONS votes, before a contribution is decided. */
  MIN_DECISION_WEIGHT: decimal(2.5, 0, 100),
  /** Bounds of a voter's weight (lib/verification/weights.ts); a new verifier weighs 1 within them. */
  WEIGHT_MIN: decimal(0, 0, 10),
  WEIGHT_MAX: decimal(3, 0.1, 10),
  /** Weight of each AI agent's vote (the built-in agent, the LLM agent, AGENT_TOKEN agents). */
  AI_WEIGHT: decimal(0.5, 0, 10),
  /** How long a verifier holds an assignment before it returns to the pool. */
  ASSIGNMENT_MINUTES: int(30, 1, 24 * 60),
  /** Most live assignments one verifier holds at once. */
  MAX_OPEN_ASSIGNMENTS: int(3, 1, 50),
  /** Calibration verdict agreement (last 10 items, 5 seen at least) below which a verifier's weight is 0. */
  CALIBRATION_FLOOR: decimal(0.6, 0, 1),
  /** Votes after which a calibration item is no longer assigned. */
  CALIBRATION_VOTES: int(10, 1, 1000),
  /** Days after a rejection during which its owner may appeal (once). */
  APPEAL_WINDOW_DAYS: int(7, 1, 365),
  /** Size of an appeal's fresh panel: its votes alone decide the appeal. */
  APPEAL_QUORUM: int(3, 1, 50),
  /** in-process: this app instance also runs background jobs; off: only `npm run worker` processes do. */
  WORKERS: z.enum(["in-process", "off"]).default("in-process"),
  /** Jobs one worker runs at once. */
  WORKER_CONCURRENCY: int(2, 1, 64),
  /** Webhook deliveries sent at once per process, by their own worker: slow receivers never hold the jobs verification needs. */
  WEBHOOK_CONCURRENCY: int(4, 1, 64),
  /** Milliseconds a webhook receiver has to answer (connect, send, respond) before the attempt fails. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 60_000),
  /** on (development and tests only): webhook URLs may be plain http and reach private, loopback and link-local addresses. */
  WEBHOOK_ALLOW_PRIVATE: z.enum(["on", "off"]).default("off"),
  /** Notification e-mail (optional): smtp:// or smtps:// with credentials, e.g. smtps://user:pass@mail.example:465. Unset: no e-mail. */
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example:465" }).optional()),
  /** The From of notification e-mails. */
  SMTP_FROM: z.string().trim().min(3).default("NWU Protocol <no-reply@localhost>"),
  /** Milliseconds to connect to, greet and send through the SMTP server. */
  SMTP_TIMEOUT_MS: int(10_000, 100, 120_000),
  /** A claimed job not finished (or renewed) within this many seconds is taken over by another worker. */
  JOB_LEASE_SECONDS: int(60, 5, 3600),
  /** Files inside an archive the built-in agent reads at most (README, licence, source, tables first). */
  AGENT_MAX_FILES: int(200, 1, 10_000),
  /** Bytes the built-in agent reads from the node for one contribution, at most. Default 8 MiB. */
  AGENT_MAX_BYTES: int(8 * 1024 * 1024, 64 * 1024, 1024 ** 3),
  /** Bearer token for AI agents posting to POST /api/v1/verifications (until agents hold API keys). At least 32 characters. */
  AGENT_TOKEN: optionalString.pipe(z.string().min(32, { error: "must be at least 32 characters" }).optional()),
  /** Optional LLM agent: any OpenAI-compatible chat-completions server. All three must be set to enable it. */
  LLM_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_TIMEOUT_MS: int(20_000, 500, 300_000),
  /** How long an open circuit (LLM, chain RPC) stops calls before letting one trial through. Default 30000. */
  CIRCUIT_COOLDOWN_MS: int(30_000, 100, 3_600_000),
  /** Stripe secret key (sk_…). Unset: the app runs, /pricing shows the plans, payments are off. */
  STRIPE_SECRET_KEY: optionalString.pipe(z.string().regex(/^(sk|rk)_(test|live)_\w+$/, { error: "must be a Stripe secret key (sk_test_… or sk_live_…)" }).optional()),
  /** Signing secret of the webhook endpoint (whsec_…); required for /api/stripe/webhook to accept events. */
  STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith("whsec_", { error: "must start with whsec_" }).optional()),
  /** Price ids of the paid plans (from the Stripe dashboard, or `npm run stripe:setup`). */
  STRIPE_PRICE_PRO: optionalString,
  STRIPE_PRICE_ENTERPRISE: optionalString,
  /** The paid plans' metered overage prices (per request beyond the included ones), printed by `npm run stripe:setup`. */
  STRIPE_PRICE_PRO_OVERAGE: optionalString,
  STRIPE_PRICE_ENTERPRISE_OVERAGE: optionalString,
  /** Where the Stripe SDK sends requests (tests point it at a local server). Default Stripe's API. */
  STRIPE_API_BASE: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  STRIPE_TIMEOUT_MS: int(10_000, 500, 120_000),
  /** How often requests beyond the included ones are reported to Stripe's meter (seconds). Default 300. */
  METER_REPORT_SECONDS: int(300, 1, 86_400),
  /** The share of a month's net API revenue allocated to the contributors whose work was read (percent). Default 20. */
  REVENUE_SHARE_PERCENT: decimal(20, 0, 100),
  /** NWU paid per US dollar of revenue share, an exact decimal (up to 18 places). Default 10. */
  NWU_PER_USD: optionalString.pipe(z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, { error: "must be a decimal number such as 10 or 12.5" }).default("10")),
  /**
   * A test setting: the requests every paid plan includes per billing period (unset: the plan's own,
   * lib/payments/plans.ts), so a test or a demo goes past them in seconds.
   */
  BILLING_INCLUDED_REQUESTS: optionalString.pipe(z.coerce.number<string | undefined>({ error: "must be a whole number" }).int({ error: "must be a whole number" }).min(0, { error: "must be at least 0" }).optional()),
  /**
   * Demo mode: the public development accounts of db/demo-accounts.ts hold their roles, and the demo
   * data is seeded. auto (default): on only with the embedded database and APP_URL unset or on a
   * loopback address — a deployment reachable by others never has an admin whose key is public.
   */
  DEMO_MODE: z.enum(["auto", "on", "off"]).default("auto"),
  /**
   * WalletConnect (Reown) project id: the connect dialog then offers WalletConnect (phone wallets,
   * by QR code) and Coinbase Wallet. Read by the server per request and handed to the dialog, so
   * `next start` picks it up without a rebuild; a value present at build time works too.
   */
  NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: optionalString.pipe(z.string().regex(/^[0-9a-f]{32}$/i, { error: "must be the 32-hex-digit project id from cloud.reown.com" }).optional()),
  /** Seed the demo data into an empty database; auto (default) follows DEMO_MODE. */
  SEED_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  /**
   * The query cache's staleness bound: a change committed on another instance (or by the worker)
   * reaches this one's cached answers within this many ms; this instance's own writes at once.
   * 0 turns the cache off.
   */
  CACHE_MAX_STALENESS_MS: int(1000, 0, 60_000),
  /** At most this many cached answers… */
  CACHE_MAX_ENTRIES: int(10_000, 1, 1_000_000),
  /** …holding at most this many MiB (least recently used go first). */
  CACHE_MAX_MB: int(64, 1, 4096),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** on: X-Forwarded-Proto/-Host and X-Request-Id are believed (set it behind a load balancer that overwrites them); off (default): ignored. */
  TRUST_PROXY: z.enum(["off", "on"]).default("off"),
});

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function demoModeOf(e: z.infer<typeof fields>): boolean {
  if (e.DEMO_MODE !== "auto") return e.DEMO_MODE === "on";
  return !e.DATABASE_URL && (!e.APP_URL || LOOPBACK_HOST.test(new URL(e.APP_URL).hostname));
}

/** The variables, plus what follows from them: whether demo mode is on. */
export const envSchema = fields.transform((e, ctx) => {
  if (e.WEIGHT_MIN > e.WEIGHT_MAX) {
    ctx.addIssue({ code: "custom", path: ["WEIGHT_MIN"], message: `must not exceed WEIGHT_MAX (${e.WEIGHT_MAX})` });
    return z.NEVER;
  }
  if (e.DATABASE_REPLICA_URLS.length > 0 && !e.DATABASE_URL) {
    ctx.addIssue({ code: "custom", path: ["DATABASE_REPLICA_URLS"], message: "needs DATABASE_URL (the primary they replicate); the embedded database has no replicas" });
    return z.NEVER;
  }
  const demoMode = demoModeOf(e);
  const demoAdmin = demoMode ? undefined : e.ADMIN_ADDRESSES.find((a) => demoAccountFor(a));
  if (demoAdmin) {
    ctx.addIssue({
      code: "custom",
      path: ["ADMIN_ADDRESSES"],
      message: `names ${demoAdmin}, a demo account whose private key is public; outside demo mode (DEMO_MODE) use an address of your own`,
    });
    return z.NEVER;
  }
  return { ...e, demoMode, seedDemo: e.SEED_DEMO === "auto" ? demoMode : e.SEED_DEMO === "on" };
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parse an environment; throws ConfigError whose message is a single line naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join(".") || "environment";
  throw new ConfigError(`Configuration error: ${name} ${issue.message}`);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Entry points call this first: prints one line and exits 1 on a bad value. */
export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
