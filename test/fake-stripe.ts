/**
 * A local server speaking Stripe's wire format for what NWU calls: customers, Checkout Sessions,
 * the Billing Portal, subscriptions and PaymentIntents. The real SDK talks to it (host/port/protocol
 * options); it honours Idempotency-Key like Stripe. Checkout "pages" redirect straight back to the
 * success URL. `GET /__state` exposes what was created, for tests.
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
    requests: [] as FakeStripe["requests"],
  };
  const idempotent = new Map<string, { status: number; body: Obj }>();

  const handle = (method: string, path: string, body: Obj, query: Obj): { status: number; body: Obj } => {
    const now = Math.floor(Date.now() / 1000);
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
      const p = { id: id("price"), object: "price", product: body.product, currency: body.currency, unit_amount: Number(body.unit_amount), recurring: body.recurring ?? null, lookup_key: body.lookup_key ?? null, active: true, created: now };
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
          JSON.stringify({ sessions: [...state.sessions.values()], customers: [...state.customers.values()], requests: state.requests.length }),
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
      res.writeHead(answer.status, { "content-type": "application/json", "request-id": id("req") }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const actual = (server.address() as AddressInfo).port;
  return {
    ...state,
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
