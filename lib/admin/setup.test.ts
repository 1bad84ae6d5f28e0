import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/config/env";

import { setupChecklist } from "./setup";

const item = (env: Record<string, string>, id: string) => setupChecklist(parseEnv(env)).find((i) => i.id === id)!;

describe("setupChecklist", () => {
  it("says what is off, in words, with the settings that turn it on", () => {
    const payments = item({}, "payments");
    expect(payments).toMatchObject({ ready: false, settings: ["STRIPE_SECRET_KEY", "STRIPE_PRICE_PRO", "STRIPE_PRICE_ENTERPRISE", "STRIPE_PRICE_PRO_OVERAGE", "STRIPE_PRICE_ENTERPRISE_OVERAGE"] });
    expect(payments.detail).not.toMatch(/[A-Z]+_[A-Z]+/);
    expect(item({}, "payouts").ready).toBe(false);
    expect(item({}, "demo")).toMatchObject({ ready: false });
  });

  it("follows the configuration", () => {
    const sold = { STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_PRICE_PRO: "p1", STRIPE_PRICE_ENTERPRISE: "p2" };
    expect(item(sold, "payments")).toMatchObject({ ready: true, detail: expect.stringContaining("not billed") });
    expect(item({ ...sold, STRIPE_PRICE_PRO_OVERAGE: "p3", STRIPE_PRICE_ENTERPRISE_OVERAGE: "p4" }, "payments")).toMatchObject({ ready: true, detail: expect.stringContaining("are billed") });
    expect(item({ STRIPE_SECRET_KEY: "sk_test_abc" }, "payments")).toMatchObject({ ready: false, detail: expect.stringContaining("no price") });
    expect(item({ LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_API_KEY: "k", LLM_MODEL: "m" }, "llm").ready).toBe(true);
    expect(item({ DEMO_MODE: "off" }, "demo").ready).toBe(true);
  });
});
