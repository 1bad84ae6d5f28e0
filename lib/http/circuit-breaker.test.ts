import { describe, expect, it } from "vitest";

import { CircuitBreaker, CircuitOpenError } from "./circuit-breaker";

describe("circuit breaker", () => {
  it("opens after consecutive failures, fails fast, lets one trial through after the cooldown", async () => {
    let now = 0;
    const breaker = new CircuitBreaker("svc", { failureThreshold: 3, cooldownMs: 1000, now: () => now });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("down");
    };
    for (let i = 0; i < 3; i++) await expect(breaker.run(failing)).rejects.toThrow("down");
    expect(breaker.state).toBe("open");
    await expect(breaker.run(failing)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);

    now = 1000;
    expect(breaker.state).toBe("half-open");
    await expect(breaker.run(failing)).rejects.toThrow("down"); // the trial fails: open again
    expect(calls).toBe(4);
    expect(breaker.state).toBe("open");

    now = 2500;
    expect(await breaker.run(async () => "ok")).toBe("ok");
    expect(breaker.state).toBe("closed");
  });

  it("a success resets the failure count", async () => {
    const breaker = new CircuitBreaker("svc", { failureThreshold: 2, cooldownMs: 1000 });
    await expect(breaker.run(async () => Promise.reject(new Error("x")))).rejects.toThrow();
    await breaker.run(async () => 1);
    await expect(breaker.run(async () => Promise.reject(new Error("x")))).rejects.toThrow();
    expect(breaker.state).toBe("closed");
  });
});
