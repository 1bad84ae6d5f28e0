/**
 * `npm run stripe:setup`: creates (once) the products and monthly prices of the paid plans in the
 * Stripe account of STRIPE_SECRET_KEY and prints the variables to configure. Safe to re-run.
 */
import { loadEnvOrExit } from "@/lib/config/env";
import { ensurePrices } from "@/lib/payments/setup";
import { getStripe } from "@/lib/payments/stripe";

const env = loadEnvOrExit();
if (!env.STRIPE_SECRET_KEY) {
  console.error("Configuration error: STRIPE_SECRET_KEY is required for npm run stripe:setup");
  process.exit(1);
}
try {
  const prices = await ensurePrices(getStripe());
  console.log(`STRIPE_PRICE_PRO=${prices.pro}\nSTRIPE_PRICE_ENTERPRISE=${prices.enterprise}`);
} catch (error) {
  console.error(`Stripe setup failed: ${(error as Error).message}`);
  process.exit(1);
}
