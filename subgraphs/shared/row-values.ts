/** A row as the Opcenter client returns it, in logical field names. */
export type OpcenterRow = Record<string, unknown>;

/** A text property (empty when missing). */
export function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A nullable text property. */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A numeric property (0 when missing). */
export function numeric(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** A nullable numeric property. */
export function numericOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A DateTimeOffset property. */
export function date(value: unknown): Date {
  return new Date(String(value));
}

/** A comma-separated list property (`'C1,C2'`) as its items. */
export function list(value: unknown): string[] {
  return text(value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
