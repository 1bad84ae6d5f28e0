/**
 * Both drivers return `numeric`, `sum()` and `avg()` as strings (and `count()` as a string on
 * postgres.js when cast to bigint). Every conversion goes through these two functions.
 */
export function toNumber(value: string | number | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`not a finite number: ${String(value)}`);
  return n;
}

export function toNumberOrNull(value: string | number | bigint | null | undefined): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** Rounds to `digits` decimals for display and API answers (half away from zero). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.sign(value) * Math.round(Math.abs(value) * f) / f;
}
