import "server-only";

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

import { WEBHOOK_URL_MAX } from "@/db/vocabulary";
import { getEnv } from "@/lib/config/env";
import { ValidationError } from "@/lib/errors";

/**
 * Where a webhook may be sent. Checked when an endpoint is registered (the URL's shape) and again
 * at every delivery (the addresses its host resolves to then — a name that resolved to a public
 * address at registration may point inside later: DNS rebinding). The connection goes to the address
 * checked, never to a second lookup.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128], ["::1", 128], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32],
  ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) BLOCKED.addSubnet(net, prefix, "ipv6");

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;
const MAPPED_V4_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** An address no webhook may reach: private, loopback, link-local, shared, documentation, multicast, reserved. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, "ipv4");
  if (family !== 6) return true;
  const dotted = MAPPED_V4.exec(address);
  if (dotted) return isBlockedAddress(dotted[1]!);
  const hex = MAPPED_V4_HEX.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isBlockedAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return BLOCKED.check(address, "ipv6");
}

const invalidUrl = (message: string) => new ValidationError(message, { url: [message] });
const allowPrivate = () => getEnv().WEBHOOK_ALLOW_PRIVATE === "on";

/** The URL as registered: absolute http(s), https unless WEBHOOK_ALLOW_PRIVATE, no credentials, and not a blocked address literal. */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUrl("The webhook URL is not an absolute URL");
  }
  if (raw.length > WEBHOOK_URL_MAX) throw invalidUrl(`The webhook URL is longer than ${WEBHOOK_URL_MAX} characters`);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowPrivate())) throw invalidUrl("Webhook URLs must use https");
  if (url.username || url.password) throw invalidUrl("Webhook URLs may not carry a user name or password");
  if (url.hash) throw invalidUrl("Webhook URLs may not carry a #fragment");
  const host = hostOf(url);
  if (!allowPrivate() && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) && isBlockedAddress(host)))) {
    throw invalidUrl("Webhook URLs may not point at private, loopback or link-local addresses");
  }
  return url;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

export class BlockedTargetError extends Error {}

/** The address to connect to for `url`, resolved now and checked (every resolved address must be allowed). */
export async function resolveTarget(url: URL): Promise<{ address: string; family: 4 | 6 }> {
  const host = hostOf(url);
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal as 4 | 6 }] : ((await lookup(host, { all: true, verbatim: true })) as { address: string; family: 4 | 6 }[]);
  if (addresses.length === 0) throw new BlockedTargetError(`${host} did not resolve`);
  if (!allowPrivate()) {
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) throw new BlockedTargetError(`${host} resolves to ${blocked.address}, a private or reserved address: not delivered`);
  }
  return addresses[0]!;
}
