/** An Opcenter DateTimeOffset (ISO text) as a Date; null stays null. */
export function toDate(value: unknown): Date | null {
  return typeof value === 'string' || value instanceof Date ? new Date(value) : null;
}
