/**
 * `npm run stripe:setup`: creates (once) the meter, the products, monthly and metered overage prices of the paid plans in the
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
  console.log(
    [
      `STRIPE_PRICE_PRO=${prices.plans.pro}`,
      `STRIPE_PRICE_ENTERPRISE=${prices.plans.enterprise}`,
      `STRIPE_PRICE_PRO_OVERAGE=${prices.overage.pro}`,
      `STRIPE_PRICE_ENTERPRISE_OVERAGE=${prices.overage.enterprise}`,
    ].join("\n"),
  );
} catch (error) {
  console.error(`Stripe setup failed: ${(error as Error).message}`);
  process.exit(1);
}
