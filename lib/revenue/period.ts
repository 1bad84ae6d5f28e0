/** A revenue-share period is a calendar month, UTC, named by its first day ("2026-11-01"). */
export const monthOf = (at: Date): string => `${at.toISOString().slice(0, 7)}-01`;

/** The month after `period` (a "YYYY-MM-01"). */
export function nextMonth(period: string): string {
  const d = new Date(`${period}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return monthOf(d);
}

/** The month before `period`. */
export function previousMonth(period: string): string {
  const d = new Date(`${period}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return monthOf(d);
}
