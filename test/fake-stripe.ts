/**
 * A local server speaking Stripe's wire format for what NWU calls: customers, Checkout Sessions,
 * the Billing Portal, subscriptions, PaymentIntents, billing meters and meter events. The real SDK talks
 * to it (host/port/protocol options); it honours Idempotency-Key like Stripe. Checkout "pages" redirect
 * straight back to the success URL. `GET /__state` exposes what was created, for tests.
 *
 * Meter events as Stripe documents them: an `identifier` is unique within a rolling window (at least
 * 24 hours; `meterDedupSeconds`), a repeat inside it answers 400 "An event already exists with
 * identifier …" with `Stripe-Should-Retry: false`; a timestamp must lie within the past 35 days and
 * at most 5 minutes ahead; event summaries sum the values per customer over [start_time, end_time).
 * `clockOffsetSeconds` moves the server's clock, to age what it holds past the window.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

type Obj = Record<string, unknown>;

/** Stripe's form encoding: a[b][0][c]=v → { a: { b: [{ c: v }] } }. */
export function parseStripeForm(body: string): Obj {
  const out: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Obj | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? "");
      const key = /^\d+$/.test(part) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Obj;
      }
    });
  }
  return out;
}

export interface FakeStripe {
  url: string;
  port: number;
  customers: Map<string, Obj>;
  sessions: Map<string, Obj>;
  subscriptions: Map<string, Obj>;
  paymentIntents: Map<string, Obj>;
  products: Map<string, Obj>;
  prices: Map<string, Obj>;
  meters: Map<string, Obj>;
  /** Accepted meter events, in order (duplicates refused are not here). */
  meterEvents: { identifier: string; event_name: string; customer: string; value: number; timestamp: number; created: number }[];
  /** Seconds added to the server's clock (tests age events past the dedup window). */
  clockOffsetSeconds: number;
  /** Refuse the next N meter-event requests with a 500 (an outage), after recording nothing. */
  failMeterEvents: number;
  requests: { method: string; path: string; idempotencyKey?: string; body: Obj }[];
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export async function startFakeStripe(port = 0): Promise<FakeStripe> {
  const state = {
    customers: new Map<string, Obj>(),
    sessions: new Map<string, Obj>(),
    subscriptions: new Map<string, Obj>(),
    paymentIntents: new Map<string, Obj>(),
    products: new Map<string, Obj>(),
    prices: new Map<string, Obj>(),
    meters: new Map<string, Obj>(),
    meterEvents: [] as FakeStripe["meterEvents"],
    clockOffsetSeconds: 0,
    failMeterEvents: 0,
    requests: [] as FakeStripe["requests"],
  };
  const idempotent = new Map<string, Answer>();

  const handle = (method: string, path: string, body: Obj, query: Obj): Answer => {
    const now = Math.floor(Date.now() / 1000) + state.clockOffsetSeconds;
    const metering = meterRoutes(state, method, path, body, query, now);
    if (metering) return metering;
    if (method === "POST" && path === "/v1/customers") {
      const c = { id: id("cus"), object: "customer", created: now, livemode: false, description: body.description ?? null, metadata: body.metadata ?? {} };
      state.customers.set(c.id, c);
      return { status: 200, body: c };
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      if (!body.customer || !state.customers.has(String(body.customer))) return { status: 400, body: { error: { type: "invalid_request_error", message: "No such customer" } } };
      const sid = id("cs_test");
      const s = {
        id: sid,
        object: "checkout.session",
        mode: body.mode,
        customer: body.customer,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        line_items: body.line_items,
        subscription: null,
        payment_status: "unpaid",
        status: "open",
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        url: String(body.success_url).replace("{CHECKOUT_SESSION_ID}", sid),
        created: now,
      };
      state.sessions.set(sid, s);
      return { status: 200, body: s };
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      return { status: 200, body: { id: id("bps"), object: "billing_portal.session", customer: body.customer, url: body.return_url, created: now } };
    }
    if (method === "POST" && path === "/v1/products") {
      const p = { id: id("prod"), object: "product", name: body.name, description: body.description ?? null, active: true, created: now };
      state.products.set(p.id, p);
      return { status: 200, body: p };
    }
    if (method === "POST" && path === "/v1/prices") {
      const recurring = body.recurring as Obj | undefined;
      const p = {
        id: id("price"),
        object: "price",
        product: body.product,
        currency: body.currency,
        unit_amount: body.unit_amount === undefined ? null : Number(body.unit_amount),
        unit_amount_decimal: body.unit_amount_decimal ?? (body.unit_amount === undefined ? null : String(body.unit_amount)),
        recurring: recurring ? { interval: recurring.interval, usage_type: recurring.usage_type ?? "licensed", meter: recurring.meter ?? null } : null,
        lookup_key: body.lookup_key ?? null,
        active: true,
        created: now,
      };
      state.prices.set(p.id, p);
      return { status: 200, body: p };
    }
    if (method === "GET" && path === "/v1/prices") {
      const keys = new Set(Object.values((query.lookup_keys as Obj | undefined) ?? {}).map(String));
      const data = [...state.prices.values()].filter((p) => keys.size === 0 || keys.has(String(p.lookup_key)));
      return { status: 200, body: { object: "list", url: "/v1/prices", has_more: false, data } };
    }
    const sub = /^\/v1\/subscriptions\/([\w]+)$/.exec(path);
    if (sub) {
      const s = state.subscriptions.get(sub[1]!);
      if (!s) return { status: 404, body: { error: { type: "invalid_request_error", message: `No such subscription: '${sub[1]}'` } } };
      if (method === "POST") Object.assign(s, { cancel_at_period_end: body.cancel_at_period_end === "true" });
      return { status: 200, body: s };
    }
    if (method === "POST" && path === "/v1/payment_intents") {
      const pid = id("pi");
      const p = { id: pid, object: "payment_intent", amount: Number(body.amount), currency: body.currency, customer: body.customer ?? null, description: body.description ?? null, metadata: body.metadata ?? {}, status: "requires_payment_method", client_secret: `${pid}_secret_${randomBytes(8).toString("hex")}`, created: now };
      state.paymentIntents.set(pid, p);
      return { status: 200, body: p };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path})` } } };
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const [path, search = ""] = (req.url ?? "/").split("?") as [string, string?];
      const query = parseStripeForm(search);
      if (path === "/__state") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({ sessions: [...state.sessions.values()], customers: [...state.customers.values()], requests: state.requests.length, meterEvents: state.meterEvents }),
        );
        return;
      }
      if (!/^Bearer sk_test_/.test(req.headers.authorization ?? "")) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided" } }));
        return;
      }
      const body = parseStripeForm(raw);
      const key = req.headers["idempotency-key"] as string | undefined;
      state.requests.push({ method: req.method!, path, idempotencyKey: key, body });
      const cacheKey = key ? `${req.method} ${path} ${key}` : undefined;
      const answer = (cacheKey && idempotent.get(cacheKey)) || handle(req.method!, path, body, query);
      if (cacheKey && answer.status < 500) idempotent.set(cacheKey, answer);
      res.writeHead(answer.status, { "content-type": "application/json", "request-id": id("req"), ...answer.headers }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const actual = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

interface Answer {
  status: number;
  body: Obj;
  headers?: Record<string, string>;
}

type MeterState = Pick<FakeStripe, "meters" | "meterEvents" | "clockOffsetSeconds" | "failMeterEvents">;

const refusal = (message: string, headers?: Record<string, string>): Answer => ({ status: 400, body: { error: { type: "invalid_request_error", message } }, headers });

/** Billing meters, meter events and event summaries; null for any other path. */
function meterRoutes(state: MeterState, method: string, path: string, body: Obj, query: Obj, now: number): Answer | null {
  if (method === "POST" && path === "/v1/billing/meters") {
    if ([...state.meters.values()].some((m) => m.event_name === body.event_name && m.status === "active")) return refusal(`A meter with event_name ${String(body.event_name)} already exists.`);
    const m = {
      id: id("mtr"),
      object: "billing.meter",
      display_name: body.display_name,
      event_name: body.event_name,
      status: "active",
      default_aggregation: body.default_aggregation,
      customer_mapping: body.customer_mapping,
      value_settings: body.value_settings ?? { event_payload_key: "value" },
      created: now,
      livemode: false,
    };
    state.meters.set(m.id, m);
    return { status: 200, body: m };
  }
  if (method === "GET" && path === "/v1/billing/meters") {
    const data = [...state.meters.values()].filter((m) => !query.status || m.status === query.status);
    return { status: 200, body: { object: "list", url: "/v1/billing/meters", has_more: false, data } };
  }
  if (method === "POST" && path === "/v1/billing/meter_events") {
    if (state.failMeterEvents > 0) {
      state.failMeterEvents--;
      return { status: 500, body: { error: { type: "api_error", message: "An unknown error occurred" } } };
    }
    const meter = [...state.meters.values()].find((m) => m.event_name === body.event_name && m.status === "active");
    if (!meter) return refusal(`No active meter was found with event_name ${String(body.event_name)}.`);
    const payload = (body.payload ?? {}) as Record<string, string>;
    const customer = payload[(meter.customer_mapping as Obj).event_payload_key as string];
    const value = Number(payload[(meter.value_settings as Obj).event_payload_key as string]);
    if (!customer || !Number.isFinite(value)) return refusal("The payload must hold the customer and a numeric value.");
    const timestamp = body.timestamp === undefined ? now : Number(body.timestamp);
    if (timestamp < now - 35 * 86_400 || timestamp > now + 300) return refusal("Timestamp must be within the past 35 calendar days and no more than 5 minutes in the future.");
    const identifier = typeof body.identifier === "string" ? body.identifier : id("mev");
    if (state.meterEvents.some((e) => e.identifier === identifier && e.created > now - meterDedupSeconds))
      return refusal(`An event already exists with identifier ${identifier}.`, { "stripe-should-retry": "false" });
    state.meterEvents.push({ identifier, event_name: String(body.event_name), customer, value, timestamp, created: now });
    return { status: 200, body: { object: "billing.meter_event", created: now, event_name: body.event_name, identifier, livemode: false, payload, timestamp } };
  }
  const summaries = /^\/v1\/billing\/meters\/(\w+)\/event_summaries$/.exec(path);
  if (method === "GET" && summaries) {
    const meter = state.meters.get(summaries[1]!);
    if (!meter) return { status: 404, body: { error: { type: "invalid_request_error", message: `No such billing meter: '${summaries[1]}'` } } };
    const [start, end] = [Number(query.start_time), Number(query.end_time)];
    const aggregated = state.meterEvents
      .filter((e) => e.event_name === meter.event_name && e.customer === query.customer && e.timestamp >= start && e.timestamp < end)
      .reduce((sum, e) => sum + e.value, 0);
    const data = [{ id: id("mtrusg"), object: "billing.meter_event_summary", aggregated_value: aggregated, start_time: start, end_time: end, livemode: false, meter: meter.id }];
    return { status: 200, body: { object: "list", url: path, has_more: false, data } };
  }
  return null;
}

/** How long Stripe refuses a repeated meter-event identifier ("a rolling period of at least 24 hours"). */
export const meterDedupSeconds = 24 * 3600;
