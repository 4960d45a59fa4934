/** Time helpers: the plant keeps times as epoch milliseconds and serves them as ISO strings. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** ISO 8601 in UTC with milliseconds, as OData serves DateTimeOffset. */
export function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

/** The shift of a time: A 06–14, B 14–22, C 22–06 UTC. */
export function shiftOf(ms: number): 'A' | 'B' | 'C' {
  const hour = new Date(ms).getUTCHours();
  if (hour >= 6 && hour < 14) return 'A';
  if (hour >= 14 && hour < 22) return 'B';
  return 'C';
}

/** YYMMDD of a time (UTC). */
export function yymmdd(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A YYWW date code (ISO week) of a time. */
export function dateCode(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * DAY) - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return `${String(thursday.getUTCFullYear() % 100).padStart(2, '0')}${String(week).padStart(2, '0')}`;
}
