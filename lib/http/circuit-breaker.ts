/**
 * Stops calling a failing service for a while: after `failureThreshold` consecutive failures the
 * circuit opens and calls fail fast with CircuitOpenError; after `cooldownMs` one trial call is let
 * through (half-open): success closes the circuit, failure opens it again.
 */
export class CircuitOpenError extends Error {
  constructor(
    readonly service: string,
    readonly retryInMs: number,
  ) {
    super(`${service} is failing; not calling it for another ${Math.ceil(retryInMs / 1000)} s`);
    this.name = "CircuitOpenError";
  }
}

export type CircuitState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly service: string,
    private readonly options: { failureThreshold: number; cooldownMs: number; now?: () => number },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  get state(): CircuitState {
    if (this.failures < this.options.failureThreshold) return "closed";
    return this.now() - this.openedAt >= this.options.cooldownMs ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.trialInFlight)) {
      throw new CircuitOpenError(this.service, Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)));
    }
    const trial = state === "half-open";
    if (trial) this.trialInFlight = true;
    try {
      const result = await call();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures = trial ? this.options.failureThreshold : this.failures + 1;
      if (this.failures >= this.options.failureThreshold) this.openedAt = this.now();
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }
}
