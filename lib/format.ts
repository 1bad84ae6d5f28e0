/** Display formatting shared by server and client components. */
// Powers of 1024, so IEC units: the server's limits (MAX_UPLOAD_BYTES = 1 GiB) read the same everywhere.
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 → "1.5 KiB", 3 × 1024² → "3 MiB" (whole values without decimals). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || Number.isInteger(value) || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDateTime(value: string | Date): string {
  return `${DATE_TIME.format(typeof value === "string" ? new Date(value) : value)} UTC`;
}

export const shortHash = (value: string, head = 10, tail = 6) => (value.length > head + tail + 1 ? `${value.slice(0, head)}…${value.slice(-tail)}` : value);

/** US cents as dollars: "$1,234.50". */
export const formatUsd = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const MONTH_NAMES = {
  long: new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }),
  short: new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" }),
};

/** A month named by its first day ("2026-11-01") as "November 2026" (or "Nov 2026"). */
export const formatMonth = (period: string, style: keyof typeof MONTH_NAMES = "long") => MONTH_NAMES[style].format(new Date(`${period}T00:00:00Z`));
