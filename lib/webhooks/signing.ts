import "server-only";

import { randomBytes } from "node:crypto";

import { Webhook } from "standardwebhooks";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64, as its libraries read it. */
export const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The three Standard Webhooks headers for `payload`: one `v1,` signature per secret still valid
 * (the current one, and the previous one for a day after a rotation), space-separated as the spec
 * allows, so receivers verify with either.
 */
export function signDelivery(input: { id: string; at: Date; payload: string; secrets: string[] }): SignedHeaders {
  const signatures = input.secrets.map((s) => new Webhook(s).sign(input.id, input.at, input.payload));
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(Math.floor(input.at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
