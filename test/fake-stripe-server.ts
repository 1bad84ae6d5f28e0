/** The fake Stripe server as a process, for the e2e run (port from FAKE_STRIPE_PORT). */
import { startFakeStripe } from "./fake-stripe";

const fake = await startFakeStripe(Number(process.env.FAKE_STRIPE_PORT ?? 3299));
console.log(`fake Stripe listening on ${fake.url}`);
